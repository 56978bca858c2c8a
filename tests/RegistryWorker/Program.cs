// A child process for the registry's real-fault tests. It registers versions into a registry folder and can stop
// (and wait to be killed) at a chosen point of a registration:
//   register <root> <model> <count> <worker>   registers <count> versions, printing "registered <version>" for each
//   hang-writing <root> <model>                 stops while writing the second artifact, printing "writing"
//   hang-committing <root> <model>              stops after publishing the artifacts, before the commit, printing "published"
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Registry;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: RegistryWorker register|hang-writing|hang-committing <root> <model> [count worker]");
    return 2;
}

var (mode, root, model) = (args[0], args[1], args[2]);
var hang = new TaskCompletionSource();
using var services = new ServiceCollection()
    .AddMLSystem(ml => ml.UseSqliteRegistry(o =>
    {
        o.RootPath = root;
        if (mode == "hang-committing")
        {
            o.BeforeCommit = async ct =>
            {
                Console.WriteLine("published");
                await hang.Task.WaitAsync(ct);
            };
        }
    }))
    .BuildServiceProvider();
var registry = services.GetRequiredService<IModelRegistry>();

switch (mode)
{
    case "register":
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        var worker = args[4];
        for (var i = 0; i < count; i++)
        {
            var version = await registry.RegisterAsync(new NewModelVersion
            {
                Name = model,
                Artifacts =
                [
                    NewArtifact.FromBytes("weights", ArtifactKinds.File, Encoding.UTF8.GetBytes($"worker {worker} item {i}")),
                    NewArtifact.FromBytes("shared", ArtifactKinds.File, "the same bytes in every version"u8.ToArray()),
                ],
                Tags = new Dictionary<string, string> { ["worker"] = worker, ["item"] = i.ToString(CultureInfo.InvariantCulture) },
                RegisteredBy = $"worker-{worker}",
            });
            Console.WriteLine($"registered {version.Version}");
        }

        return 0;

    case "hang-writing":
    case "hang-committing":
        await registry.RegisterAsync(new NewModelVersion
        {
            Name = model,
            Artifacts =
            [
                NewArtifact.FromBytes("first", ArtifactKinds.File, "complete first artifact"u8.ToArray()),
                new NewArtifact("second", ArtifactKinds.File, "application/octet-stream", async (stream, ct) =>
                {
                    await stream.WriteAsync(new byte[4096], ct);
                    await stream.FlushAsync(ct);
                    if (mode == "hang-writing")
                    {
                        Console.WriteLine("writing");
                        await hang.Task.WaitAsync(ct);
                    }
                }),
            ],
        });
        return 0;

    default:
        Console.Error.WriteLine($"unknown mode '{mode}'");
        return 2;
}
