using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MLSystemDesign.Data;
using MLSystemDesign.Data.Internal;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Expectations;

/// <summary>
/// Checks records against an <see cref="ExpectationSuite"/> in one pass and infers suites from reference data.
/// Every failed rule is counted, with the first offending records kept as examples. Thread-safe.
/// </summary>
public sealed class DataValidator
{
    private readonly TimeProvider _time;

    /// <summary>Creates a validator.</summary>
    /// <param name="timeProvider">The clock that stamps reports; the system clock when omitted.</param>
    /// <param name="maxExamples">How many offending records each rule keeps. Default 5.</param>
    public DataValidator(TimeProvider? timeProvider = null, int maxExamples = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        _time = timeProvider ?? TimeProvider.System;
        MaxExamples = maxExamples;
    }

    /// <summary>Gets how many offending records each rule keeps.</summary>
    public int MaxExamples { get; }

    /// <summary>Validates the records of a source.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="source">The source.</param>
    /// <param name="suite">The rules.</param>
    /// <param name="readReport">Receives read counts; required when the source skips bad records.</param>
    /// <param name="cancellationToken">Stops validation.</param>
    /// <returns>The report.</returns>
    public async Task<ValidationReport> ValidateAsync<T>(IDataSource<T> source, ExpectationSuite suite, DataReadReport? readReport = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(suite);
        var pass = new ValidationPass<T>(suite, MaxExamples);
        await foreach (var record in source.ReadAsync(readReport, cancellationToken).ConfigureAwait(false))
        {
            pass.Add(record);
        }

        return pass.Finish(source.Descriptor.Location, _time.GetUtcNow());
    }

    /// <summary>Validates records in memory.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="suite">The rules.</param>
    /// <param name="sourceName">A name for the report.</param>
    /// <returns>The report.</returns>
    public ValidationReport Validate<T>(IEnumerable<T> records, ExpectationSuite suite, string sourceName = "memory")
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(suite);
        var pass = new ValidationPass<T>(suite, MaxExamples);
        foreach (var record in records)
        {
            pass.Add(record);
        }

        return pass.Finish(sourceName, _time.GetUtcNow());
    }

    /// <summary>
    /// Splits records into those that satisfy every row-level rule (required, kind, range, categories) and those that
    /// do not, each rejected record with the rules it broke. Data-set rules (missing rate, uniqueness) are not row-level
    /// and are left to <see cref="Validate{T}"/>.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="suite">The rules.</param>
    /// <returns>The accepted records, in order, and the rejected ones with their violations.</returns>
    public static QuarantineResult<T> Quarantine<T>(IEnumerable<T> records, ExpectationSuite suite)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(suite);
        var accepted = new List<T>();
        var rejected = new List<QuarantinedRecord<T>>();
        RecordAccessor<T>? accessor = null;
        (FieldExpectation Rule, int Ordinal, HashSet<string>? Allowed)[] rules = [];
        long number = 0;
        foreach (var record in records)
        {
            number++;
            if (accessor is null)
            {
                accessor = RecordAccessor<T>.Create(record is TabularRecord t ? t.Schema : null);
                rules = suite.Fields
                    .Select(f => (f, accessor.Schema.IndexOf(f.Field), f.AllowedCategories is { } a ? new HashSet<string>(a, StringComparer.Ordinal) : null))
                    .Where(x => x.Item2 >= 0)
                    .ToArray();
            }

            List<string>? violations = null;
            foreach (var (rule, ordinal, allowed) in rules)
            {
                var v = accessor.Get(record, ordinal);
                var problem = v.IsMissing
                    ? rule.Required ? "required" : null
                    : rule.Kind is { } kind && !FieldCheck.Conforms(kind, ref v) ? $"kind {kind.ToString().ToLowerInvariant()}"
                    : v.Kind == FieldValueKind.Number && ((rule.Min is { } min && !(v.Number >= min)) || (rule.Max is { } max && !(v.Number <= max))) ? "range"
                    : allowed is not null && !allowed.Contains(v.ToString()) ? "categories"
                    : null;
                if (problem is not null)
                {
                    (violations ??= []).Add($"{rule.Field} {problem}: '{v}'");
                }
            }

            if (violations is null)
            {
                accepted.Add(record);
            }
            else
            {
                rejected.Add(new QuarantinedRecord<T>(number, record, violations));
            }
        }

        return new QuarantineResult<T>(accepted, rejected);
    }

    /// <summary>Infers a suite from reference records: kinds, required fields, missing-rate limits, observed ranges, small category sets and unique keys.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The reference records.</param>
    /// <param name="options">What to infer; defaults when omitted.</param>
    /// <returns>The inferred suite.</returns>
    public static ExpectationSuite Infer<T>(IEnumerable<T> records, ExpectationInferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var inference = new InferencePass<T>(OptionsValidation.ThrowIfInvalid<ExpectationInferenceOptions, ExpectationInferenceOptionsValidator>(options ?? new ExpectationInferenceOptions()));
        foreach (var record in records)
        {
            inference.Add(record);
        }

        return inference.Finish();
    }

    /// <summary>Infers a suite from the records of a source.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="source">The reference source.</param>
    /// <param name="options">What to infer; defaults when omitted.</param>
    /// <param name="cancellationToken">Stops the pass.</param>
    /// <returns>The inferred suite.</returns>
    public static async Task<ExpectationSuite> InferAsync<T>(IDataSource<T> source, ExpectationInferenceOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var inference = new InferencePass<T>(OptionsValidation.ThrowIfInvalid<ExpectationInferenceOptions, ExpectationInferenceOptionsValidator>(options ?? new ExpectationInferenceOptions()));
        await foreach (var record in source.ReadAsync(null, cancellationToken).ConfigureAwait(false))
        {
            inference.Add(record);
        }

        var suite = inference.Finish();
        suite.Name ??= $"inferred from {source.Descriptor.Location}";
        return suite;
    }

    private sealed class ValidationPass<T>(ExpectationSuite suite, int maxExamples)
    {
        private RecordAccessor<T>? _accessor;
        private FieldCheck[] _checks = [];
        private long _count;

        public void Add(T record)
        {
            if (_accessor is null)
            {
                _accessor = RecordAccessor<T>.Create(record is TabularRecord t ? t.Schema : null);
                _checks = suite.Fields.Select(f => new FieldCheck(f, _accessor.Schema.IndexOf(f.Field), maxExamples)).ToArray();
            }

            _count++;
            foreach (var check in _checks)
            {
                if (check.Ordinal >= 0)
                {
                    check.Add(_count, _accessor.Get(record, check.Ordinal));
                }
            }
        }

        public ValidationReport Finish(string source, DateTimeOffset at)
        {
            _checks = _accessor is null ? suite.Fields.Select(f => new FieldCheck(f, -2, maxExamples)).ToArray() : _checks;
            return new ValidationReport(suite.Name, source, _count, _checks.SelectMany(c => c.Results(_count)).ToArray(), at);
        }
    }

    private sealed class FieldCheck
    {
        private readonly FieldExpectation _e;
        private readonly int _maxExamples;
        private readonly HashSet<string>? _allowed;
        private readonly HashSet<FieldValue>? _seen;
        private readonly Counter _missing = new();
        private readonly Counter _kind = new();
        private readonly Counter _range = new();
        private readonly Counter _categories = new();
        private readonly Counter _duplicates = new();

        public FieldCheck(FieldExpectation expectation, int ordinal, int maxExamples)
        {
            _e = expectation;
            Ordinal = ordinal;
            _maxExamples = maxExamples;
            _allowed = expectation.AllowedCategories is { } a ? new HashSet<string>(a, StringComparer.Ordinal) : null;
            _seen = expectation.Unique ? [] : null;
        }

        /// <summary>The field's ordinal; -1 when the data lacks it, -2 when there was no data at all.</summary>
        public int Ordinal { get; }

        public void Add(long record, FieldValue v)
        {
            if (v.IsMissing)
            {
                _missing.Hit(record, string.Empty, _maxExamples);
                return;
            }

            if (_e.Kind is { } kind && !Conforms(kind, ref v))
            {
                _kind.Hit(record, v.ToString(), _maxExamples);
                return;
            }

            if ((_e.Min is { } min && !(v.AsDouble() >= min)) || (_e.Max is { } max && !(v.AsDouble() <= max)))
            {
                if (v.Kind is FieldValueKind.Number)
                {
                    _range.Hit(record, v.ToString(), _maxExamples);
                }
            }

            if (_allowed is not null && !_allowed.Contains(v.ToString()))
            {
                _categories.Hit(record, v.ToString(), _maxExamples);
            }

            if (_seen is not null && !_seen.Add(v))
            {
                _duplicates.Hit(record, v.ToString(), _maxExamples);
            }
        }

        /// <summary>
        /// Whether a value has the expected kind. A text value is judged on its own: a text file's column that holds one
        /// value of another kind is read as text throughout, so its '5' is checked as the number it reads as (and then
        /// against the range), not counted against the column.
        /// </summary>
        public static bool Conforms(FieldKind kind, ref FieldValue value)
        {
            if (Matches(kind, value.Kind))
            {
                return true;
            }

            if (value.Kind == FieldValueKind.Text && RecordCursor.Text.TryRead(value.Text!, kind, CultureInfo.InvariantCulture, out var read))
            {
                value = read;
                return true;
            }

            return false;
        }

        private static bool Matches(FieldKind kind, FieldValueKind value) => kind switch
        {
            FieldKind.Numeric => value == FieldValueKind.Number,
            FieldKind.Text => value == FieldValueKind.Text,
            FieldKind.Boolean => value == FieldValueKind.Boolean,
            FieldKind.Timestamp => value == FieldValueKind.Timestamp,
            _ => true,
        };

        public IEnumerable<RuleResult> Results(long count)
        {
            var field = _e.Field;
            if (Ordinal < 0)
            {
                if (Ordinal == -1)
                {
                    yield return new RuleResult(field, "present", "the field exists", false, count, count == 0 ? 0 : 1, []);
                }

                yield break;
            }

            if (_e.Kind is { } kind)
            {
                yield return _kind.Result(field, "kind", kind.ToString().ToLowerInvariant(), count);
            }

            if (_e.Required)
            {
                yield return _missing.Result(field, "required", "no missing values", count);
            }

            if (_e.MaxMissingRate is { } rate)
            {
                var observed = count == 0 ? 0 : (double)_missing.Count / count;
                yield return _missing.Result(field, "missing-rate", string.Create(CultureInfo.InvariantCulture, $"at most {rate:P2} missing"), count) with
                {
                    Passed = observed <= rate,
                };
            }

            if (_e.Min is not null || _e.Max is not null)
            {
                var lo = _e.Min?.ToString("G", CultureInfo.InvariantCulture) ?? "-inf";
                var hi = _e.Max?.ToString("G", CultureInfo.InvariantCulture) ?? "+inf";
                yield return _range.Result(field, "range", $"in [{lo}, {hi}]", count);
            }

            if (_allowed is not null)
            {
                var shown = string.Join(", ", _e.AllowedCategories!.Take(10));
                yield return _categories.Result(field, "categories", $"one of {_allowed.Count}: {shown}{(_allowed.Count > 10 ? ", …" : string.Empty)}", count);
            }

            if (_e.Unique)
            {
                yield return _duplicates.Result(field, "unique", "every value distinct", count);
            }
        }
    }

    private sealed class Counter
    {
        private readonly List<OffendingRecord> _examples = [];

        public long Count { get; private set; }

        public void Hit(long record, string value, int maxExamples)
        {
            Count++;
            if (_examples.Count < maxExamples)
            {
                _examples.Add(new OffendingRecord(record, value.Length <= 200 ? value : value[..200] + "…"));
            }
        }

        public RuleResult Result(string field, string rule, string expected, long count) =>
            new(field, rule, expected, Count == 0, Count, count == 0 ? 0 : (double)Count / count, _examples.ToArray());
    }

    private sealed class InferencePass<T>(ExpectationInferenceOptions options)
    {
        private RecordAccessor<T>? _accessor;
        private FieldStats[] _stats = [];
        private long _count;

        public void Add(T record)
        {
            if (_accessor is null)
            {
                _accessor = RecordAccessor<T>.Create(record is TabularRecord t ? t.Schema : null);
                _stats = _accessor.Schema.Fields.Select(_ => new FieldStats(options)).ToArray();
            }

            _count++;
            for (var i = 0; i < _stats.Length; i++)
            {
                _stats[i].Add(_accessor.Get(record, i));
            }
        }

        public ExpectationSuite Finish()
        {
            var suite = new ExpectationSuite();
            if (_accessor is null)
            {
                return suite;
            }

            for (var i = 0; i < _stats.Length; i++)
            {
                suite.Fields.Add(_stats[i].ToExpectation(_accessor.Schema.Fields[i].Name, _count));
            }

            return suite;
        }
    }

    private sealed class FieldStats(ExpectationInferenceOptions options)
    {
        private readonly Dictionary<FieldValueKind, long> _kinds = [];
        private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
        private bool _distinctOverflow;
        private long _missing;
        private long _present;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;

        public void Add(FieldValue v)
        {
            if (v.IsMissing)
            {
                _missing++;
                return;
            }

            _present++;
            _kinds[v.Kind] = _kinds.GetValueOrDefault(v.Kind) + 1;
            if (v.Kind == FieldValueKind.Number)
            {
                _min = Math.Min(_min, v.Number);
                _max = Math.Max(_max, v.Number);
            }
            else if (v.Kind == FieldValueKind.Text && !_distinctOverflow)
            {
                _distinct.Add(v.Text!);
                if (_distinct.Count > options.MaxTrackedDistinct)
                {
                    _distinctOverflow = true;
                    _distinct.Clear();
                }
            }
        }

        public FieldExpectation ToExpectation(string name, long count)
        {
            var e = new FieldExpectation { Field = name };
            if (_kinds.Count == 1)
            {
                e.Kind = _kinds.Keys.Single() switch
                {
                    FieldValueKind.Number => FieldKind.Numeric,
                    FieldValueKind.Boolean => FieldKind.Boolean,
                    FieldValueKind.Timestamp => FieldKind.Timestamp,
                    _ => FieldKind.Text,
                };
            }

            if (count > 0 && _missing == 0)
            {
                e.Required = true;
            }
            else if (count > 0)
            {
                // Round the observed rate up to 4 decimals, then allow the configured slack.
                var observed = Math.Ceiling((double)_missing / count * 10_000) / 10_000;
                e.MaxMissingRate = Math.Min(1, observed * (1 + options.MissingRateSlack));
            }

            if (options.InferRanges && e.Kind == FieldKind.Numeric && _present > 0)
            {
                e.Min = _min;
                e.Max = _max;
            }

            if (e.Kind == FieldKind.Text && !_distinctOverflow && _present > 0)
            {
                if (_distinct.Count <= options.MaxCategories)
                {
                    e.AllowedCategories = _distinct.Order(StringComparer.Ordinal).ToList();
                }
                else if (options.InferUniqueness && _distinct.Count == _present && _present >= 2)
                {
                    e.Unique = true;
                }
            }

            return e;
        }
    }
}

/// <summary>Records split by <see cref="DataValidator.Quarantine{T}"/>.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Accepted">The records that satisfy every row-level rule, in order.</param>
/// <param name="Rejected">The records that do not, with their violations.</param>
public sealed record QuarantineResult<T>(IReadOnlyList<T> Accepted, IReadOnlyList<QuarantinedRecord<T>> Rejected);

/// <summary>A record set aside because it broke row-level rules.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="RecordNumber">The 1-based record number in the input.</param>
/// <param name="Record">The record.</param>
/// <param name="Violations">The rules it broke, e.g. <c>Delay range: '-953'</c>.</param>
public sealed record QuarantinedRecord<T>(long RecordNumber, T Record, IReadOnlyList<string> Violations);

/// <summary>What <see cref="DataValidator.Infer{T}"/> infers; validated (by <see cref="ExpectationInferenceOptionsValidator"/>) when inference starts.</summary>
public sealed class ExpectationInferenceOptions
{
    /// <summary>Gets or sets the largest number of distinct text values that becomes an allowed-category rule. Default 50; at least 0 (none).</summary>
    [Range(0, int.MaxValue)]
    public int MaxCategories { get; set; } = 50;

    /// <summary>Gets or sets the slack on inferred missing-rate limits, as a fraction of the observed rate. Default 0 (the observed rate, rounded up to 4 decimals); 0 to 1,000.</summary>
    [Range(0.0, 1000.0)]
    public double MissingRateSlack { get; set; }

    /// <summary>Gets or sets whether observed numeric minimum and maximum become a range rule. Default <see langword="true"/>.</summary>
    public bool InferRanges { get; set; } = true;

    /// <summary>Gets or sets whether text fields whose every value is distinct (and too many to be categories) become unique keys. Default <see langword="true"/>.</summary>
    public bool InferUniqueness { get; set; } = true;

    /// <summary>Gets or sets how many distinct text values per field are tracked before giving up on categories and uniqueness. Default 1,000,000; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTrackedDistinct { get; set; } = 1_000_000;
}

/// <summary>Validates <see cref="ExpectationInferenceOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class ExpectationInferenceOptionsValidator : IValidateOptions<ExpectationInferenceOptions>;
