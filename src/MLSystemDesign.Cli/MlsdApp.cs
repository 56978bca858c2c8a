using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLSystemDesign.Cli.Commands;
using MLSystemDesign.Cli.Output;

namespace MLSystemDesign.Cli;

/// <summary>
/// The <c>mlsd</c> application: builds the services and the command tree, runs one command, and turns every error into
/// an exit code and one escaped line on the error writer (the stack trace too under <c>--verbose</c>).
/// </summary>
internal static class MlsdApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var verbose = new Option<bool>("--verbose")
        {
            Description = "On an error, print its stack trace (and its inner exceptions) after the one-line message.",
            Recursive = true,
        };
        var safeError = new TerminalSafeWriter(error);
        ParseResult? parsed = null;
        try
        {
            var services = new ServiceCollection()
                .AddMLSystem(ml => ml.AddMLNet().AddOnnx())
                .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            await using (services.ConfigureAwait(false))
            {
                var context = new CliContext(services, output, error);
                var root = new RootCommand("mlsd: the MLSystemDesign tool. Validate and profile data, train and evaluate models, register and version them, score files with them, convert them for the inference core, detect drift, and analyse experiments and business value.")
                {
                    ValidateCommand.Create(context),
                    TrainCommand.Create(context),
                    Commands.Registry.RegistryCommand.Create(context),
                    DriftCommand.Create(context),
                    ProfileCommand.Create(context),
                    PredictCommand.Create(context),
                    ConvertCommand.Create(context),
                };
                AnalysisCommands.AddTo(root, context);
                root.Options.Add(verbose);

                parsed = root.Parse(args);
                var code = await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
                return code switch
                {
                    0 => ExitCodes.Success,
                    1 when parsed.Errors.Count > 0 => ExitCodes.Error,
                    _ => code,
                };
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await safeError.WriteLineAsync("error: cancelled.").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception ex)
        {
            var user = IsUserError(ex);
            var message = user ? Describe(ex) : $"internal error ({ex.GetType().Name}): {Describe(ex)}";
            var showTrace = parsed?.GetValue(verbose) ?? args.Contains("--verbose", StringComparer.Ordinal);
            await safeError.WriteLineAsync($"error: {TerminalText.OneLine(message)}{(showTrace || user ? string.Empty : " (run with --verbose for the stack trace)")}").ConfigureAwait(false);
            if (showTrace)
            {
                await safeError.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            await safeError.FlushAsync().ConfigureAwait(false);
            return user ? ExitCodes.Error : ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// Errors caused by the input or arguments, reported in one line: every exception of the project (its type in an
    /// <c>MLSystemDesign</c> namespace: data, model format, registry integrity, feature pipeline) and the framework's
    /// exceptions for bad arguments, missing files and unreadable content.
    /// </summary>
    private static bool IsUserError(Exception ex) =>
        ex.GetType().Namespace?.StartsWith("MLSystemDesign", StringComparison.Ordinal) == true
        || ex is FileNotFoundException or DirectoryNotFoundException or JsonException or ArgumentException or NotSupportedException or InvalidOperationException
            or KeyNotFoundException or UnauthorizedAccessException or IOException or InvalidDataException or FormatException or OptionsValidationException;

    /// <summary>The exception's message, without the "(Parameter 'x')" an argument exception appends.</summary>
    private static string Describe(Exception ex) =>
        ex is ArgumentException { ParamName: { } parameter } ? ex.Message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal) : ex.Message;
}
