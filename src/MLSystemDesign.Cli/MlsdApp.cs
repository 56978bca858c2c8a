using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Cli.Commands;
using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Models;

namespace MLSystemDesign.Cli;

/// <summary>The <c>mlsd</c> application: builds the services and the command tree, runs one command.</summary>
internal static class MlsdApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var services = new ServiceCollection()
            .AddMLSystem(ml => ml.AddMLNet().AddOnnx())
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await using (services.ConfigureAwait(false))
        {
            var context = new CliContext(services, output, error);
            var root = new RootCommand("mlsd: validate data, train and evaluate models with MLSystemDesign.")
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

            var parsed = root.Parse(args);
            try
            {
                return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false) switch
                {
                    0 => ExitCodes.Success,
                    1 when parsed.Errors.Count > 0 => ExitCodes.Error,
                    var code => code,
                };
            }
            catch (Exception ex) when (IsUserError(ex))
            {
                await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Error;
            }
        }
    }

    /// <summary>Errors caused by the input or arguments: reported in one line, without a stack trace.</summary>
    private static bool IsUserError(Exception ex) => ex is DataRecordException or DataSchemaException or FileNotFoundException
        or DirectoryNotFoundException or JsonException or ArgumentException or NotSupportedException or InvalidOperationException
        or ModelFormatException or FeaturePipelineMismatchException or KeyNotFoundException or UnauthorizedAccessException or IOException
        or Microsoft.Extensions.Options.OptionsValidationException;
}
