using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// Every observer of one model's predictions, called as one: what a model endpoint (or an application's own serving
/// code) holds and calls once per prediction. Resolve it with <c>GetRequiredKeyedService&lt;PredictionObservers&lt;T&gt;&gt;(name)</c>;
/// it holds the model's monitor (when one has the name) and the observers added with <c>AddPredictionObserver</c>.
/// </summary>
/// <remarks>
/// The observers are an array fixed at creation, called in order on the caller's thread with no lock and no allocation;
/// the cost is their own (a monitor's is a sampling counter and, for sampled predictions, one queue slot). An observer
/// that throws does not fail the prediction or stop the others: the failure is counted (<see cref="FailureCount"/>) and
/// logged, each observer's at its 1st, 2nd, 4th, 8th … failure, so a broken observer is visible without flooding the log.
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
public sealed class PredictionObservers<T> : IPredictionObserver<T>
{
    private readonly IPredictionObserver<T>[] _observers;
    private readonly long[] _failures;
    private readonly ILogger _logger;

    /// <summary>Creates the set.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="observers">The observers, called in this order.</param>
    /// <param name="logger">Where failures are logged; nowhere when omitted.</param>
    public PredictionObservers(string name, IEnumerable<IPredictionObserver<T>> observers, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(observers);
        Name = name;
        _observers = observers.ToArray();
        _failures = new long[_observers.Length];
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the model's name.</summary>
    public string Name { get; }

    /// <summary>Gets the observers, in the order they are called.</summary>
    public IReadOnlyList<IPredictionObserver<T>> Observers => _observers;

    /// <summary>Gets how many times an observer threw, over all observers.</summary>
    public long FailureCount
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _failures.Length; i++)
            {
                sum += Volatile.Read(ref _failures[i]);
            }

            return sum;
        }
    }

    /// <summary>Calls every observer with the prediction.</summary>
    /// <param name="observation">The prediction.</param>
    public void OnPrediction(in PredictionObservation<T> observation)
    {
        var observers = _observers;
        for (var i = 0; i < observers.Length; i++)
        {
            try
            {
                observers[i].OnPrediction(in observation);
            }
            catch (Exception ex)
            {
                Failed(i, ex);
            }
        }
    }

    private void Failed(int index, Exception exception)
    {
        var count = Interlocked.Increment(ref _failures[index]);
        if ((count & (count - 1)) == 0)
        {
            ObserverLog.Failed(_logger, Name, _observers[index].GetType().Name, count, exception);
        }
    }
}
