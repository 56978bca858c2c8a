namespace MLSystemDesign.Monitoring;

/// <summary>
/// One prediction as its observers see it: the record, the model's outputs, the prediction's id (to join a delayed
/// outcome to) and the model version that made it. A <see langword="ref struct"/> over the caller's buffers: nothing is
/// allocated or copied to build it, and it cannot outlive the <see cref="IPredictionObserver{T}.OnPrediction"/> call.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public readonly ref struct PredictionObservation<T>
{
    /// <summary>Describes one prediction.</summary>
    /// <param name="record">The record the model scored. It must not change afterwards (observers may keep it and read it later).</param>
    /// <param name="outputs">The model's outputs, in its signature's order.</param>
    /// <param name="predictionId">The prediction's id; <see cref="Guid.Empty"/> when outcomes are not joined.</param>
    /// <param name="modelVersion">The model version that made the prediction, if known.</param>
    public PredictionObservation(T record, ReadOnlySpan<float> outputs, Guid predictionId = default, string? modelVersion = null)
    {
        Record = record;
        Outputs = outputs;
        PredictionId = predictionId;
        ModelVersion = modelVersion;
    }

    /// <summary>Gets the record the model scored.</summary>
    public T Record { get; }

    /// <summary>Gets the model's outputs (the caller's buffer: copy what is kept).</summary>
    public ReadOnlySpan<float> Outputs { get; }

    /// <summary>Gets the prediction's id; <see cref="Guid.Empty"/> when outcomes are not joined.</summary>
    public Guid PredictionId { get; }

    /// <summary>Gets the model version that made the prediction, if known.</summary>
    public string? ModelVersion { get; }
}
