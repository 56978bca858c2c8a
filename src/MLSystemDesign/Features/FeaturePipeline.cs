using System.Collections.ObjectModel;
using MLSystemDesign.Features.Internal;

namespace MLSystemDesign.Features;

/// <summary>Starts feature pipeline definitions.</summary>
/// <example>
/// <code>
/// var pipeline = FeaturePipeline.For&lt;Flight&gt;()
///     .Numeric("hour", f =&gt; f.Date.Hour)
///     .Numeric("distance", f =&gt; f.Distance, o =&gt; o.Scaling = NumericScaling.ZScore)
///     .Categorical("origin", f =&gt; f.Origin, o =&gt; o.MaxCategories = 50)
///     .Build();
/// var fitted = pipeline.Fit(trainingFlights);
/// Span&lt;float&gt; row = stackalloc float[fitted.Width];
/// fitted.Transform(flight, row);
/// </code>
/// </example>
public static class FeaturePipeline
{
    /// <summary>Starts a definition for records of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <returns>The builder.</returns>
    public static FeaturePipelineBuilder<T> For<T>() => new();
}

/// <summary>
/// Declares the raw features of a pipeline and their encodings, in slot order. Any lambda is a feature, so derived
/// fields (hour of day, weekday, ratios) are declared the same way as plain properties.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class FeaturePipelineBuilder<T>
{
    private readonly List<FeatureDefinition<T>> _features = [];

    internal FeaturePipelineBuilder()
    {
    }

    /// <summary>Adds a numeric feature; NaN means missing.</summary>
    /// <param name="name">A unique feature name.</param>
    /// <param name="selector">Reads the value from a record; must not allocate and must be safe to call concurrently.</param>
    /// <param name="configure">Sets imputation, indicator and scaling.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder<T> Numeric(string name, Func<T, double> selector, Action<NumericFeatureOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var options = new NumericFeatureOptions();
        configure?.Invoke(options);
        return Add(new NumericDefinition<T>(CheckName(name), selector, options));
    }

    /// <summary>Adds a numeric feature from a nullable value; null means missing.</summary>
    /// <param name="name">A unique feature name.</param>
    /// <param name="selector">Reads the value from a record.</param>
    /// <param name="configure">Sets imputation, indicator and scaling.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder<T> Numeric(string name, Func<T, double?> selector, Action<NumericFeatureOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Numeric(name, r => selector(r) ?? double.NaN, configure);
    }

    /// <summary>Adds a categorical feature; null means missing.</summary>
    /// <param name="name">A unique feature name.</param>
    /// <param name="selector">Reads the category from a record; should return an existing string rather than build one.</param>
    /// <param name="configure">Sets the encoding and vocabulary limits.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder<T> Categorical(string name, Func<T, string?> selector, Action<CategoricalFeatureOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var options = new CategoricalFeatureOptions();
        configure?.Invoke(options);
        return Add(new CategoricalDefinition<T>(CheckName(name), selector, options));
    }

    /// <summary>Finishes the definition.</summary>
    /// <returns>The pipeline definition, ready to fit.</returns>
    /// <exception cref="InvalidOperationException">No feature was declared.</exception>
    public FeaturePipeline<T> Build() =>
        _features.Count == 0
            ? throw new InvalidOperationException("A feature pipeline needs at least one feature.")
            : new FeaturePipeline<T>(_features.ToArray());

    private FeaturePipelineBuilder<T> Add(FeatureDefinition<T> feature)
    {
        _features.Add(feature);
        return this;
    }

    private string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_features.Any(f => string.Equals(f.Name, name, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"A feature named '{name}' is already declared.", nameof(name));
        }

        return name;
    }
}

/// <summary>
/// A feature pipeline definition: the raw features of <typeparamref name="T"/> and how each is encoded.
/// Fit it once on training data; the fitted pipeline serves both training and serving.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class FeaturePipeline<T> : IFeaturePipeline<T>
{
    private readonly FeatureDefinition<T>[] _features;

    internal FeaturePipeline(FeatureDefinition<T>[] features)
    {
        _features = features;
        RawFeatures = new ReadOnlyCollection<RawFeature>(features.Select(f => new RawFeature(f.Name, f.Kind)).ToArray());
    }

    /// <inheritdoc />
    public IReadOnlyList<RawFeature> RawFeatures { get; }

    /// <inheritdoc />
    public IFittedFeaturePipeline<T> Fit(IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var fitters = _features.Select(f => f.CreateFitter()).ToArray();
        long rows = 0;
        foreach (var record in records)
        {
            Observe(fitters, record);
            rows++;
        }

        return Complete(fitters, rows);
    }

    /// <inheritdoc />
    public async ValueTask<IFittedFeaturePipeline<T>> FitAsync(IAsyncEnumerable<T> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var fitters = _features.Select(f => f.CreateFitter()).ToArray();
        long rows = 0;
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Observe(fitters, record);
            rows++;
        }

        return Complete(fitters, rows);
    }

    /// <inheritdoc />
    public IFittedFeaturePipeline<T> Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FittedPipelineJson.Load(json, _features);
    }

    /// <summary>Re-binds a fitted pipeline saved as JSON text.</summary>
    /// <param name="json">The saved pipeline.</param>
    /// <returns>The fitted pipeline.</returns>
    public IFittedFeaturePipeline<T> Load(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return Load(stream);
    }

    private static void Observe(FeatureFitter<T>[] fitters, T record)
    {
        if (record is null)
        {
            throw new ArgumentException("A training record is null.", nameof(record));
        }

        foreach (var fitter in fitters)
        {
            fitter.Observe(record);
        }
    }

    private FittedFeaturePipeline<T> Complete(FeatureFitter<T>[] fitters, long rows)
    {
        if (rows == 0)
        {
            throw new InvalidOperationException("A feature pipeline cannot be fitted on zero records.");
        }

        var fitted = new FittedFeature<T>[fitters.Length];
        for (var i = 0; i < fitters.Length; i++)
        {
            fitted[i] = fitters[i].Complete().WithSignature(_features[i].Signature);
        }

        return new FittedFeaturePipeline<T>(fitted, rows);
    }
}
