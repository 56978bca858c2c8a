namespace MLSystemDesign.Models;

/// <summary>
/// A model: maps a feature vector to an output vector. Implementations are immutable and safe to call from many
/// threads at once; the fast ones allocate nothing per call.
/// </summary>
/// <remarks>
/// The output layout follows <see cref="ModelSignature.Outputs"/>: <c>[score]</c> for regression,
/// <c>[score, probability]</c> for binary classification, <c>[prob_0 … prob_{k-1}]</c> for multiclass.
/// A model that holds native resources also implements <see cref="IDisposable"/>.
/// </remarks>
public interface IModel
{
    /// <summary>Gets the input width, task and output layout.</summary>
    ModelSignature Signature { get; }

    /// <summary>Predicts one row.</summary>
    /// <param name="features">Exactly <see cref="ModelSignature.InputWidth"/> values.</param>
    /// <param name="output">At least <see cref="ModelSignature.OutputWidth"/> values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void Predict(ReadOnlySpan<float> features, Span<float> output);

    /// <summary>Predicts many rows.</summary>
    /// <param name="features">A row-major matrix: a multiple of <see cref="ModelSignature.InputWidth"/> values.</param>
    /// <param name="output">A row-major matrix of <see cref="ModelSignature.OutputWidth"/> values per row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void PredictBatch(ReadOnlySpan<float> features, Span<float> output);
}
