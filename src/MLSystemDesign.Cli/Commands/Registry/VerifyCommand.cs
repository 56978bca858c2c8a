using System.CommandLine;
using MLSystemDesign.Registry;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry verify</c>: re-hashes every stored artifact and names each damaged one.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var reference = new Argument<string?>("reference") { Description = "Only this version; every version when left out.", Arity = ArgumentArity.ZeroOrOne };
        return Define(context, "verify", "Re-hash every stored artifact; exit 1 naming each missing, truncated or altered one.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var only = parse.GetValue(reference) is { } text ? ModelReference.Parse(text) : (ModelReference?)null;
            var report = await registry.VerifyAsync(only, ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(new
                {
                    report.IsSound,
                    report.ArtifactsChecked,
                    report.BytesChecked,
                    Damaged = report.Damaged.Select(d => new { d.Model, d.Version, d.Artifact, d.Problem, d.ExpectedSha256, d.ActualSha256, d.ExpectedLength, d.ActualLength, d.Message }),
                });
            }
            else
            {
                foreach (var damage in report.Damaged)
                {
                    context.Output.WriteLine($"DAMAGED {damage.Model}:{damage.Version} {damage.Artifact}: {damage.Message}");
                }

                context.Output.WriteLine($"{report.ArtifactsChecked} artifacts ({report.BytesChecked:N0} bytes) checked; {(report.IsSound ? "all sound" : $"{report.Damaged.Count} damaged")}.");
            }

            return report.IsSound ? ExitCodes.Success : ExitCodes.CheckFailed;
        }, reference);
    }
}
