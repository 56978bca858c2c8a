namespace MLSystemDesign.Monitoring;

/// <summary>
/// Watches the predictions of one model (by name): a model monitor, a prediction logger, a shadow comparison, a
/// business-metric tap. Whatever serves the model (a model endpoint, or an application's own serving code through
/// <c>PredictionObservers&lt;T&gt;</c>) calls every observer registered for the model's name, on the request thread,
/// once per prediction.
/// </summary>
/// <remarks>
/// The call is on the hot path, so an implementation returns at once: it decides whether to keep the prediction (a
/// sample), copies what it keeps into a bounded queue it drains elsewhere, and neither blocks, takes a contended lock,
/// allocates, nor does I/O there. <see cref="PredictionObservation{T}"/> is only valid during the call (its outputs are
/// the caller's buffer). An exception is caught, counted and logged by the caller and never fails the prediction, but
/// it costs a throw per call: do not rely on it.
/// </remarks>
/// <typeparam name="T">The record type the model scores.</typeparam>
public interface IPredictionObserver<T>
{
    /// <summary>Observes one prediction.</summary>
    /// <param name="observation">The record, the model's outputs, the prediction's id and the model version.</param>
    void OnPrediction(in PredictionObservation<T> observation);
}
