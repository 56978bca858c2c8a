using System.Text.Json;
using System.Text.Json.Serialization;
using MLSystemDesign.Cli.Output;
using Spectre.Console;

namespace MLSystemDesign.Cli;

/// <summary>
/// What every command gets: the services, where to write, and the output conventions. <see cref="Output"/> and
/// <see cref="Error"/> escape control characters on their way out (<see cref="TerminalSafeWriter"/>); text given to
/// <see cref="Console"/> (tables, markup) must be escaped with <see cref="TerminalText.Markup"/>, since Spectre.Console
/// writes its own colour sequences.
/// </summary>
internal sealed class CliContext
{
    public CliContext(IServiceProvider services, TextWriter output, TextWriter error)
    {
        Services = services;
        Output = new TerminalSafeWriter(output);
        Error = new TerminalSafeWriter(error);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ReferenceEquals(output, System.Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ReferenceEquals(output, System.Console.Out) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!ReferenceEquals(output, System.Console.Out) || System.Console.IsOutputRedirected)
        {
            // Tables written to files and pipes are not wrapped at 80 columns.
            Console.Profile.Width = 240;
        }
    }

    /// <summary>The JSON conventions of every <c>--json</c> output: snake_case names, enums as strings, NaN as a string.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public IServiceProvider Services { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Console { get; }

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, Json));
}

/// <summary>Exit codes every command uses.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked and the check passed.</summary>
    public const int Success = 0;

    /// <summary>The command ran, and what it checked failed (expectations, drift, damage).</summary>
    public const int CheckFailed = 1;

    /// <summary>The command could not run: bad arguments, unreadable input.</summary>
    public const int Error = 2;

    /// <summary>The command failed on something that is not the input's fault (a defect): reported, with the stack trace under <c>--verbose</c>.</summary>
    public const int InternalError = 70;
}
