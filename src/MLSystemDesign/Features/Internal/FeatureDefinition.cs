using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MLSystemDesign.Data;

namespace MLSystemDesign.Features.Internal;

/// <summary>A declared feature: its name, how to read it, and how it will be encoded.</summary>
internal abstract class FeatureDefinition<T>(string name)
{
    public string Name { get; } = name;

    public abstract RawFeatureKind Kind { get; }

    /// <summary>A canonical text of the encoding options; a saved pipeline binds only to a definition with the same text.</summary>
    public abstract string Signature { get; }

    public abstract FeatureFitter<T> CreateFitter();

    public abstract FittedFeature<T> Restore(FeatureState state);
}

/// <summary>Accumulates one feature's statistics over the training records.</summary>
internal abstract class FeatureFitter<T>
{
    public abstract void Observe(T record);

    public abstract FittedFeature<T> Complete();
}

/// <summary>A fitted feature: writes its slots for a record. Immutable; safe to share.</summary>
internal abstract class FittedFeature<T>
{
    public abstract string Name { get; }

    public abstract RawFeatureKind Kind { get; }

    /// <summary>The option signature of the definition this feature was fitted or restored from.</summary>
    public string Signature { get; private set; } = string.Empty;

    public FittedFeature<T> WithSignature(string signature)
    {
        Signature = signature;
        return this;
    }

    public abstract int Width { get; }

    /// <summary>Writes the feature's slots into <paramref name="destination"/>, which the pipeline has zeroed.</summary>
    public abstract void Write(T record, Span<float> destination);

    public abstract FieldValue Raw(T record);

    public abstract IEnumerable<(string Name, FeatureSlotKind Kind)> Slots();

    public abstract FeatureState ToState();
}

internal sealed class NumericDefinition<T> : FeatureDefinition<T>
{
    private readonly Func<T, double> _selector;
    private readonly NumericFeatureOptions _options;

    public NumericDefinition(string name, Func<T, double> selector, NumericFeatureOptions options)
        : base(name)
    {
        OptionsValidation.ThrowIfInvalid<NumericFeatureOptions, NumericFeatureOptionsValidator>(options, name);
        _selector = selector;
        _options = new NumericFeatureOptions
        {
            Imputation = options.Imputation,
            ImputeConstant = options.ImputeConstant,
            AddMissingIndicator = options.AddMissingIndicator,
            Scaling = options.Scaling,
        };
    }

    public override RawFeatureKind Kind => RawFeatureKind.Numeric;

    public override string Signature => SignatureOf(_options.Imputation, _options.ImputeConstant, _options.AddMissingIndicator, _options.Scaling);

    public static string SignatureOf(MissingValueImputation imputation, double constant, bool indicator, NumericScaling scaling) =>
        string.Create(CultureInfo.InvariantCulture, $"numeric(imputation={imputation}, constant={constant:R}, indicator={indicator}, scaling={scaling})");

    public override FeatureFitter<T> CreateFitter() => new NumericFitter<T>(Name, _selector, _options);

    public override FittedFeature<T> Restore(FeatureState state) =>
        new FittedNumeric<T>(Name, _selector, _options.AddMissingIndicator, state.Fill ?? double.NaN, state.Shift ?? 0, state.Divisor ?? 1, state).WithSignature(Signature);
}

internal sealed class NumericFitter<T>(string name, Func<T, double> selector, NumericFeatureOptions options) : FeatureFitter<T>
{
    private readonly List<double>? _values = options.Imputation == MissingValueImputation.Median ? [] : null;
    private long _count;
    private long _missing;
    private double _mean;
    private double _m2;
    private double _sum;
    private double _compensation;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    public override void Observe(T record)
    {
        var x = selector(record);
        if (double.IsNaN(x))
        {
            _missing++;
            return;
        }

        if (double.IsInfinity(x))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Feature '{name}': training record {_count + _missing + 1} has the value {x}; numeric features must be finite or NaN (missing)."));
        }

        // Welford's update keeps the variance accurate for large, offset data; the mean itself comes from a
        // Neumaier-compensated sum, which rounds as well as the exact mean allows.
        _count++;
        var delta = x - _mean;
        _mean += delta / _count;
        _m2 += delta * (x - _mean);
        var t = _sum + x;
        _compensation += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
        _sum = t;
        _min = Math.Min(_min, x);
        _max = Math.Max(_max, x);
        _values?.Add(x);
    }

    public override FittedFeature<T> Complete()
    {
        if (_count == 0 && options.Imputation is MissingValueImputation.Mean or MissingValueImputation.Median)
        {
            throw new InvalidOperationException($"Feature '{name}': every training value is missing, so there is no {options.Imputation.ToString().ToLowerInvariant()} to impute with.");
        }

        if (_count == 0 && options.Scaling != NumericScaling.None)
        {
            throw new InvalidOperationException($"Feature '{name}': every training value is missing, so there is nothing to learn {options.Scaling} scaling from.");
        }

        var std = _count > 0 ? Math.Sqrt(_m2 / _count) : 0;
        var mean = _count > 0 ? (_sum + _compensation) / _count : 0;
        double? median = null;
        if (_values is { Count: > 0 })
        {
            var sorted = _values.ToArray();
            Array.Sort(sorted);
            var mid = sorted.Length / 2;
            median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        var fill = options.Imputation switch
        {
            MissingValueImputation.Mean => mean,
            MissingValueImputation.Median => median!.Value,
            MissingValueImputation.Constant => options.ImputeConstant,
            _ => double.NaN,
        };
        var (shift, divisor) = options.Scaling switch
        {
            NumericScaling.MinMax => (_min, _max > _min ? _max - _min : 1),
            NumericScaling.ZScore => (mean, std > 0 ? std : 1),
            _ => (0d, 1d),
        };
        var state = new FeatureState
        {
            Count = _count,
            Missing = _missing,
            Mean = _count > 0 ? mean : null,
            Std = _count > 0 ? std : null,
            Min = _count > 0 ? _min : null,
            Max = _count > 0 ? _max : null,
            Median = median,
            Fill = fill,
            Shift = shift,
            Divisor = divisor,
        };
        return new FittedNumeric<T>(name, selector, options.AddMissingIndicator, fill, shift, divisor, state);
    }
}

/// <summary>value = (x is NaN ? fill : x − shift) / divisor, computed in double and stored as float; optional missing indicator slot.</summary>
internal sealed class FittedNumeric<T>(string name, Func<T, double> selector, bool indicator, double fill, double shift, double divisor, FeatureState state) : FittedFeature<T>
{
    public override string Name => name;

    public override RawFeatureKind Kind => RawFeatureKind.Numeric;

    public override int Width => indicator ? 2 : 1;

    public double Fill => fill;

    public double Shift => shift;

    public double Divisor => divisor;

    /// <summary>The transform step that writes this feature at <paramref name="offset"/> of a row.</summary>
    public NumericStep<T> Step(int offset) => new(selector, fill, shift, divisor, offset, indicator ? offset + 1 : -1);

    public override void Write(T record, Span<float> destination) => Step(0).Write(record, destination);

    public override FieldValue Raw(T record) => FieldValue.FromNumber(selector(record));

    public override IEnumerable<(string Name, FeatureSlotKind Kind)> Slots()
    {
        yield return (name, FeatureSlotKind.Numeric);
        if (indicator)
        {
            yield return ($"{name}_missing", FeatureSlotKind.MissingIndicator);
        }
    }

    public override FeatureState ToState() => state;
}

/// <summary>One numeric feature of a row: value = ((x is NaN ? fill : x) − shift) / divisor at <see cref="Slot"/>, a 1 at <see cref="IndicatorSlot"/> (−1: none) when missing.</summary>
internal readonly record struct NumericStep<T>(Func<T, double> Selector, double Fill, double Shift, double Divisor, int Slot, int IndicatorSlot)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(T record, Span<float> row)
    {
        var x = Selector(record);
        var missing = double.IsNaN(x);
        row[Slot] = (float)(((missing ? Fill : x) - Shift) / Divisor);
        if (missing && IndicatorSlot >= 0)
        {
            row[IndicatorSlot] = 1f;
        }
    }
}

internal sealed class CategoricalDefinition<T> : FeatureDefinition<T>
{
    private readonly Func<T, string?> _selector;
    private readonly CategoricalFeatureOptions _options;

    public CategoricalDefinition(string name, Func<T, string?> selector, CategoricalFeatureOptions options)
        : base(name)
    {
        OptionsValidation.ThrowIfInvalid<CategoricalFeatureOptions, CategoricalFeatureOptionsValidator>(options, name);
        _selector = selector;
        _options = new CategoricalFeatureOptions
        {
            Encoding = options.Encoding,
            MaxCategories = options.MaxCategories,
            MinFrequency = options.MinFrequency,
            HashBuckets = options.HashBuckets,
        };
    }

    public override RawFeatureKind Kind => RawFeatureKind.Categorical;

    public override string Signature => _options.Encoding == CategoricalEncoding.OneHot
        ? string.Create(CultureInfo.InvariantCulture, $"categorical(one-hot, maxCategories={_options.MaxCategories}, minFrequency={_options.MinFrequency})")
        : string.Create(CultureInfo.InvariantCulture, $"categorical(hashed, buckets={_options.HashBuckets})");

    public override FeatureFitter<T> CreateFitter() => _options.Encoding == CategoricalEncoding.OneHot
        ? new OneHotFitter<T>(Name, _selector, _options)
        : new HashedFitter<T>(Name, _selector, _options.HashBuckets);

    public override FittedFeature<T> Restore(FeatureState state) => (_options.Encoding == CategoricalEncoding.OneHot
        ? new FittedOneHot<T>(Name, _selector, state.Vocabulary ?? throw new FeaturePipelineMismatchException($"Feature '{Name}': the saved one-hot encoding has no vocabulary."), state)
        : (FittedFeature<T>)new FittedHashed<T>(Name, _selector, _options.HashBuckets, state)).WithSignature(Signature);
}

internal sealed class OneHotFitter<T>(string name, Func<T, string?> selector, CategoricalFeatureOptions options) : FeatureFitter<T>
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _missing;

    public override void Observe(T record)
    {
        if (selector(record) is { } category)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_counts, category, out _)++;
        }
        else
        {
            _missing++;
        }
    }

    public override FittedFeature<T> Complete()
    {
        var vocabulary = _counts
            .Where(kv => kv.Value >= options.MinFrequency)
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(options.MaxCategories)
            .ToList();
        var state = new FeatureState
        {
            Count = _counts.Values.Sum(),
            Missing = _missing,
            Vocabulary = vocabulary.Select(kv => kv.Key).ToList(),
            Frequencies = vocabulary.Select(kv => kv.Value).ToList(),
            Distinct = _counts.Count,
        };
        return new FittedOneHot<T>(name, selector, state.Vocabulary, state);
    }
}

/// <summary>One slot per vocabulary entry and a final <c>&lt;other&gt;</c> slot (unknown, rare or missing).</summary>
internal sealed class FittedOneHot<T> : FittedFeature<T>
{
    private readonly string _name;
    private readonly Func<T, string?> _selector;
    private readonly CategoryIndex _index;
    private readonly FeatureState _state;

    public FittedOneHot(string name, Func<T, string?> selector, IReadOnlyList<string> vocabulary, FeatureState state)
    {
        _name = name;
        _selector = selector;
        _index = new CategoryIndex(vocabulary, name);
        _state = state;
    }

    public override string Name => _name;

    public override RawFeatureKind Kind => RawFeatureKind.Categorical;

    public override int Width => _index.Count + 1;

    public IReadOnlyList<string> Vocabulary => _index.Vocabulary;

    /// <summary>The transform step that writes this feature at <paramref name="offset"/> of a row.</summary>
    public OneHotStep<T> Step(int offset) => new(_selector, _index, offset);

    public override void Write(T record, Span<float> destination) => Step(0).Write(record, destination);

    public override FieldValue Raw(T record) => FieldValue.FromText(_selector(record));

    public override IEnumerable<(string Name, FeatureSlotKind Kind)> Slots() =>
        _index.Vocabulary.Select(v => ($"{_name}={v}", FeatureSlotKind.OneHot)).Append(($"{_name}=<other>", FeatureSlotKind.OtherCategory));

    public override FeatureState ToState() => _state;
}

/// <summary>One one-hot feature of a row: a 1 at <see cref="Offset"/> + the category's slot (the last, <c>&lt;other&gt;</c>, for unknown or missing).</summary>
internal readonly record struct OneHotStep<T>(Func<T, string?> Selector, CategoryIndex Index, int Offset)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(T record, Span<float> row)
    {
        var category = Selector(record);
        row[Offset + (category is null ? Index.Count : Index.Find(category))] = 1f;
    }
}

internal sealed class HashedFitter<T>(string name, Func<T, string?> selector, int buckets) : FeatureFitter<T>
{
    private long _count;
    private long _missing;

    public override void Observe(T record)
    {
        if (selector(record) is null)
        {
            _missing++;
        }
        else
        {
            _count++;
        }
    }

    public override FittedFeature<T> Complete() =>
        new FittedHashed<T>(name, selector, buckets, new FeatureState { Count = _count, Missing = _missing });
}

/// <summary>Bucket = XxHash3-64 (seed 0) of the category's UTF-16 code units, modulo the bucket count. A missing value sets no bucket.</summary>
internal sealed class FittedHashed<T>(string name, Func<T, string?> selector, int buckets, FeatureState state) : FittedFeature<T>
{
    public override string Name => name;

    public override RawFeatureKind Kind => RawFeatureKind.Categorical;

    public override int Width => buckets;

    public static int Bucket(string category, int buckets) =>
        (int)(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(category.AsSpan())) % (ulong)buckets);

    public override void Write(T record, Span<float> destination)
    {
        if (selector(record) is { } category)
        {
            destination[Bucket(category, buckets)] = 1f;
        }
    }

    public override FieldValue Raw(T record) => FieldValue.FromText(selector(record));

    public override IEnumerable<(string Name, FeatureSlotKind Kind)> Slots() =>
        Enumerable.Range(0, buckets).Select(i => (string.Create(CultureInfo.InvariantCulture, $"{name}#{i}"), FeatureSlotKind.HashBucket));

    public override FeatureState ToState() => state;
}
