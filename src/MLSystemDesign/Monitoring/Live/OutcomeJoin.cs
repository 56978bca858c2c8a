using System.Collections.Concurrent;
using MLSystemDesign.Evaluation;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// Delayed outcomes joined to the predictions they belong to, by prediction id: sampled predictions wait (at most
/// <see cref="ModelMonitorOptions.MaxPendingOutcomes"/>, the oldest forgotten first) for their label; outcomes arrive
/// from any thread into a queue and are joined under the monitor's lock into per-window, per-version label sets, from
/// which realized metrics are computed. An outcome naming no waiting prediction is counted, never silently dropped.
/// </summary>
internal sealed class OutcomeJoin(int maxPending)
{
    private readonly ConcurrentQueue<(Guid Id, float Label)> _outcomes = new();
    private readonly Dictionary<Guid, (long Window, string Version, float Probability)> _pending = [];
    private readonly Queue<Guid> _pendingOrder = new();
    private readonly Dictionary<(long Window, string Version), (List<float> Probabilities, List<float> Labels)> _joined = [];

    /// <summary>Gets how many outcomes named a prediction that was not (or no longer) waiting.</summary>
    public long Unmatched { get; private set; }

    /// <summary>Queues an outcome (any thread).</summary>
    public void Record(Guid predictionId, float label) => _outcomes.Enqueue((predictionId, label));

    /// <summary>Lets a sampled prediction wait for its outcome (under the monitor's lock).</summary>
    public void Expect(Guid predictionId, long window, string version, float probability)
    {
        if (predictionId == Guid.Empty || maxPending == 0 || !_pending.TryAdd(predictionId, (window, version, probability)))
        {
            return;
        }

        _pendingOrder.Enqueue(predictionId);
        while (_pending.Count > maxPending)
        {
            _pending.Remove(_pendingOrder.Dequeue());
        }
    }

    /// <summary>Joins the queued outcomes (under the monitor's lock).</summary>
    public void Join()
    {
        while (_outcomes.TryDequeue(out var outcome))
        {
            if (!_pending.Remove(outcome.Id, out var prediction) || float.IsNaN(prediction.Probability))
            {
                Unmatched++;
                continue;
            }

            var key = (prediction.Window, prediction.Version);
            if (!_joined.TryGetValue(key, out var lists))
            {
                _joined[key] = lists = ([], []);
            }

            lists.Probabilities.Add(prediction.Probability);
            lists.Labels.Add(outcome.Label);
        }
    }

    /// <summary>Gets the realized metrics of one window per model version (under the monitor's lock).</summary>
    public IReadOnlyList<RealizedPerformance> Realized(long window, PerformanceReference? performance) =>
        _joined.Where(kv => kv.Key.Window == window).OrderBy(kv => kv.Key.Version, StringComparer.Ordinal).Select(kv =>
        {
            var metrics = kv.Value.Labels.Count == 0 ? new Dictionary<string, double>() : MetricCalculator.Binary(kv.Value.Labels.ToArray(), kv.Value.Probabilities.ToArray(), performance?.Threshold ?? 0.5);
            var alerts = performance?.OutsideBands(metrics) ?? [];
            return new RealizedPerformance(window, kv.Key.Version, kv.Value.Labels.Count, metrics, alerts);
        }).ToArray();
}
