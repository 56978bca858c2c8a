using Microsoft.Extensions.Logging;

namespace MLSystemDesign.Monitoring;

/// <summary>The observer set's log messages.</summary>
internal static partial class ObserverLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Model {Model}: the prediction observer {Observer} failed ({Failures} failures so far); the predictions were served.")]
    public static partial void Failed(ILogger logger, string model, string observer, long failures, Exception exception);
}
