namespace MLSystemDesign.Features;

/// <summary>
/// The definition of how records become feature vectors: which raw features to take from a record and how to
/// encode each. A definition learns nothing until it is fitted.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public interface IFeaturePipeline<T>
{
    /// <summary>Gets the raw features in declaration order.</summary>
    IReadOnlyList<RawFeature> RawFeatures { get; }

    /// <summary>Learns the statistics (means, vocabularies, scales) from training records in one pass.</summary>
    /// <param name="records">The training records.</param>
    /// <returns>The fitted pipeline.</returns>
    IFittedFeaturePipeline<T> Fit(IEnumerable<T> records);

    /// <summary>Learns the statistics from a record stream in one pass.</summary>
    /// <param name="records">The training records.</param>
    /// <param name="cancellationToken">Stops the fit.</param>
    /// <returns>The fitted pipeline.</returns>
    ValueTask<IFittedFeaturePipeline<T>> FitAsync(IAsyncEnumerable<T> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-binds a fitted pipeline saved by <see cref="IFittedFeaturePipeline{T}.Save"/> to this definition: the saved
    /// statistics, the definition's selectors. The saved features must match this definition's names, kinds and options.
    /// </summary>
    /// <param name="json">The saved pipeline (UTF-8 JSON).</param>
    /// <returns>The fitted pipeline.</returns>
    /// <exception cref="FeaturePipelineMismatchException">The saved pipeline was fitted from a different definition.</exception>
    IFittedFeaturePipeline<T> Load(Stream json);
}

/// <summary>
/// A fitted feature pipeline: turns one record into a dense <see cref="float"/> vector. The same instance serves
/// training and serving, so the encoding cannot drift between them. Immutable and safe to share across threads.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public interface IFittedFeaturePipeline<T>
{
    /// <summary>Gets the slots of the output vector and the raw feature each came from.</summary>
    FeatureSchema Schema { get; }

    /// <summary>Gets the length of the output vector.</summary>
    int Width { get; }

    /// <summary>Writes the feature vector of one record. Allocates nothing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="destination">At least <see cref="Width"/> floats; the first <see cref="Width"/> are written.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Width"/>.</exception>
    void Transform(T record, Span<float> destination);

    /// <summary>Writes the feature vectors of many records as a row-major matrix.</summary>
    /// <param name="records">The records.</param>
    /// <param name="destination">At least <c>records.Length × Width</c> floats.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    void TransformBatch(ReadOnlySpan<T> records, Span<float> destination);

    /// <summary>Writes the raw feature values of one record (before encoding): numbers, or category text.</summary>
    /// <param name="record">The record.</param>
    /// <param name="destination">One value per raw feature, in <see cref="FeatureSchema.RawFeatures"/> order.</param>
    void ExtractRaw(T record, Span<Data.FieldValue> destination);

    /// <summary>Saves the learned statistics as versioned UTF-8 JSON.</summary>
    /// <param name="destination">The stream to write to.</param>
    void Save(Stream destination);
}
