using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// The hosted service that processes a monitor's samples every <see cref="ModelMonitorOptions.EvaluationInterval"/>, off the
/// request path. A failure (e.g. a record the pipeline cannot read) is logged and the next round goes on: monitoring
/// must not stop the host.
/// </summary>
internal sealed class ModelMonitorService<T>(ModelMonitor<T> monitor, TimeProvider time, ILogger<ModelMonitorService<T>>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                monitor.ProcessPending();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MonitorLog.ProcessingFailed(_logger, monitor.Options.ModelName, ex);
            }

            try
            {
                await Task.Delay(monitor.Options.EvaluationInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        monitor.ProcessPending();
    }
}
