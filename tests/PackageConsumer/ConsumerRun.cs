using System.Globalization;
using System.Text.RegularExpressions;

namespace PackageConsumer;

/// <summary>
/// One run of the consumer test: pack the repository into a local folder, check the packages, install the tool from
/// that folder, create a fresh console project that references the packages the README's setup block adds, and
/// compile and run every README block between consumer markers in it. Each step is a check in the report.
/// </summary>
internal sealed partial class ConsumerRun(ConsumerOptions options, Report report)
{
    /// <summary>The installed tool must stay under this size (bytes, on the platform the test runs on).</summary>
    public const long ToolSizeLimit = 100_000_000;

    private const string AppName = "ReadmeConsumer";
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ProgramTimeout = TimeSpan.FromMinutes(5);

    private string readmePath = string.Empty;
    private string work = string.Empty;
    private string version = string.Empty;
    private string privatePackages = string.Empty;
    private string toolFolder = string.Empty;
    private bool toolInstalled;

    [GeneratedRegex(@":\s*warning\b", RegexOptions.IgnoreCase)]
    private static partial Regex WarningLine();

    [GeneratedRegex(@":\s*error\b", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"\s*\[[^\]]*\.csproj(::[^\]]*)?\]\s*$")]
    private static partial Regex ProjectSuffix();

    [GeneratedRegex(@"\bdotnet\s+add\s+(?:\S+\s+)?package\s+(?<id>[A-Za-z][\w.]*)")]
    private static partial Regex AddPackage();

    [GeneratedRegex(@"<VersionPrefix>\s*(?<v>[^<\s]+)\s*</VersionPrefix>")]
    private static partial Regex VersionPrefix();

    /// <summary>Runs every check; returns the process exit code (0 when all passed).</summary>
    public async Task<int> RunAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        readmePath = Path.Combine(options.Repository, "README.md");
        var readme = await File.ReadAllTextAsync(readmePath).ConfigureAwait(false);
        var scan = ReadmeScanner.Scan(readme);
        CheckMarkers(scan);

        work = options.WorkFolder ?? Path.Combine(Path.GetTempPath(), "mlsd-consumer-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        privatePackages = Path.Combine(work, "nuget-packages");
        toolFolder = Path.Combine(work, "tool");
        version = string.Create(CultureInfo.InvariantCulture, $"{RepositoryVersion()}-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}");
        report.Info($"work folder {work}; packages versioned {version}");

        var packed = await PackAsync().ConfigureAwait(false);
        if (packed is not null)
        {
            CheckPackages(readme, packed);
            await InstallToolAsync().ConfigureAwait(false);
            var app = await CreateAppAsync(scan, packed).ConfigureAwait(false);
            foreach (var block in scan.Blocks.Where(b => b.Name != "setup" && (options.Only.Count == 0 || options.Only.Contains(b.Name))))
            {
                if (app is null)
                {
                    report.Fail(Describe(scan, block), "not run: the console project could not be set up");
                }
                else if (block.IsCSharp)
                {
                    await RunCSharpAsync(scan, block, app).ConfigureAwait(false);
                }
                else
                {
                    await RunBashAsync(scan, block).ConfigureAwait(false);
                }
            }

            foreach (var unknown in options.Only.Where(n => scan.Find(n) is null))
            {
                report.Fail($"README block '{unknown}'", "--only names no block of the README");
            }
        }

        report.Info(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:0.0} s"));
        if (report.AnyFailed || options.Keep)
        {
            report.Info($"kept {work}");
        }
        else
        {
            TryDelete(work);
        }

        report.Totals();
        return report.AnyFailed ? 1 : 0;
    }

    private void CheckMarkers(ReadmeScan scan)
    {
        foreach (var skipped in scan.Skipped)
        {
            report.Skip($"README.md:{skipped.Line} C# block", skipped.Reason);
        }

        if (scan.Problems.Count > 0)
        {
            report.Fail("README markers", $"{scan.Problems.Count} problem(s)");
            report.Detail(string.Join('\n', scan.Problems));
        }
        else
        {
            report.Pass("README markers", $"{scan.Blocks.Count} marked blocks, {scan.Skipped.Count} C# blocks marked skip");
        }
    }

    private async Task<IReadOnlyList<PackedPackage>?> PackAsync()
    {
        var folder = Path.Combine(work, "packages");
        var pack = await DotnetAsync(["pack", Path.Combine(options.Repository, "MLSystemDesign.sln"), "-c", "Release", "-o", folder, $"-p:PackageVersion={version}", "-nologo"], options.Repository, PackTimeout).ConfigureAwait(false);
        if (!pack.Succeeded)
        {
            report.Fail("pack", pack.ExitCode is null ? "dotnet pack did not finish in time" : $"dotnet pack exited with {pack.ExitCode}", pack.Elapsed);
            report.Detail(Problems(pack.Output, ErrorLine()) is { Length: > 0 } errors ? errors : pack.Tail(30));
            return null;
        }

        var packages = PackedPackage.ReadAll(folder, version);
        var warnings = Problems(pack.Output, WarningLine());
        if (warnings.Length > 0)
        {
            report.Fail("pack prints no warning", "dotnet pack MLSystemDesign.sln -c Release warned", pack.Elapsed);
            report.Detail(warnings);
        }
        else
        {
            report.Pass("pack", $"{packages.Count} packages, no warning", pack.Elapsed);
        }

        foreach (var p in packages)
        {
            var symbols = Path.ChangeExtension(p.Path, ".snupkg");
            report.Info(string.Create(CultureInfo.InvariantCulture, $"  {p.Id,-36} {Size(p.Length),10}{(File.Exists(symbols) ? $"   symbols {Size(new FileInfo(symbols).Length)}" : string.Empty)}"));
        }

        return packages;
    }

    private void CheckPackages(string readme, IReadOnlyList<PackedPackage> packages)
    {
        var metadata = PackageChecks.Metadata(packages, Path.Combine(work, "packages"));
        if (metadata.Count > 0)
        {
            report.Fail("package metadata", $"{metadata.Count} problem(s)");
            report.Detail(string.Join('\n', metadata));
        }
        else
        {
            report.Pass("package metadata", "README, licence, URLs, commit, tags, notices and symbols in every package");
        }

        var table = PackageChecks.Table(readme, packages);
        if (table.Count > 0)
        {
            report.Fail("README package table", $"{table.Count} problem(s)");
            report.Detail(string.Join('\n', table));
        }
        else
        {
            report.Pass("README package table", "every row names its package's real dependencies");
        }
    }

    private async Task InstallToolAsync()
    {
        const string name = "tool install";
        var install = await DotnetAsync(["tool", "install", "MLSystemDesign.Cli", "--tool-path", toolFolder, "--add-source", Path.Combine(work, "packages"), "--version", version], work, StepTimeout, PrivateCache()).ConfigureAwait(false);
        if (!install.Succeeded)
        {
            report.Fail(name, $"dotnet tool install exited with {install.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "a time-out"}", install.Elapsed);
            report.Detail(install.Tail(20));
            return;
        }

        var mlsd = Path.Combine(toolFolder, OperatingSystem.IsWindows() ? "mlsd.exe" : "mlsd");
        var help = await ProcessRunner.RunAsync(mlsd, ["--help"], work, StepTimeout).ConfigureAwait(false);
        var size = Directory.EnumerateFiles(toolFolder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var detail = string.Create(CultureInfo.InvariantCulture, $"installed size {Size(size)} (limit {Size(ToolSizeLimit)}), mlsd --help in {help.Elapsed.TotalSeconds:0.00} s");
        if (!help.Succeeded || !help.Output.Contains("Usage:", StringComparison.Ordinal))
        {
            report.Fail(name, $"mlsd --help exited with {help.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "a time-out"}", help.Elapsed);
            report.Detail(help.Tail(20));
        }
        else if (size >= ToolSizeLimit)
        {
            report.Fail(name, detail);
        }
        else
        {
            toolInstalled = true;
            report.Pass(name, detail, install.Elapsed);
        }
    }

    private async Task<string?> CreateAppAsync(ReadmeScan scan, IReadOnlyList<PackedPackage> packed)
    {
        const string name = "setup";
        var setup = scan.Find(name);
        var ids = setup?.Lines.Select(l => AddPackage().Match(l)).Where(m => m.Success).Select(m => m.Groups["id"].Value).ToList() ?? [];
        if (setup is null || ids.Count == 0)
        {
            report.Fail(name, "the README has no consumer:setup block with the `dotnet add package` lines a user runs");
            return null;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var app = Path.Combine(work, "app");
        var create = await DotnetAsync(["new", "console", "-o", app, "-n", AppName, "--framework", "net10.0"], work, StepTimeout).ConfigureAwait(false);
        if (!create.Succeeded)
        {
            report.Fail(name, "dotnet new console failed");
            report.Detail(create.Tail(20));
            return null;
        }

        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), NuGetConfig(await UserPackagesFolderAsync().ConfigureAwait(false))).ConfigureAwait(false);
        foreach (var id in ids)
        {
            string[] add = packed.Any(p => p.Id == id) ? ["add", "package", id, "--version", version] : ["add", "package", id];
            var result = await DotnetAsync(add, app, StepTimeout).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                report.Fail(name, $"dotnet add package {id} (README.md:{setup.FirstLine}) failed");
                report.Detail(result.Tail(20));
                return null;
            }
        }

        report.Pass(name, $"fresh console project referencing {string.Join(", ", ids)} as packages", clock.Elapsed);
        return app;
    }

    private async Task RunCSharpAsync(ReadmeScan scan, ReadmeBlock block, string app)
    {
        var name = Describe(scan, block);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ProgramComposer.CSharp(scan.Chain(block), readmePath)).ConfigureAwait(false);
        var build = await DotnetAsync(["build", app, "-c", "Release", "--no-restore", "-nologo", "-p:TreatWarningsAsErrors=true"], app, StepTimeout).ConfigureAwait(false);
        if (!build.Succeeded)
        {
            report.Fail(name, "does not compile as pasted", build.Elapsed);
            report.Detail(Problems(build.Output, ErrorLine()) is { Length: > 0 } errors ? errors : build.Tail(30));
            return;
        }

        var run = await ProcessRunner.RunAsync("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", AppName + ".dll")], RunFolder(block), ProgramTimeout).ConfigureAwait(false);
        Finish(name, run, build.Elapsed);
    }

    private async Task RunBashAsync(ReadmeScan scan, ReadmeBlock block)
    {
        var name = Describe(scan, block);
        if (!toolInstalled)
        {
            report.Fail(name, "not run: it needs the mlsd tool, which did not install");
            return;
        }

        var script = Path.Combine(work, block.Name + ".sh");
        await File.WriteAllTextAsync(script, ProgramComposer.Bash(scan.Chain(block))).ConfigureAwait(false);
        var path = toolFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        var run = await ProcessRunner.RunAsync("bash", ["-euo", "pipefail", script], RunFolder(block), ProgramTimeout, new Dictionary<string, string> { ["PATH"] = path }).ConfigureAwait(false);
        Finish(name, run, TimeSpan.Zero);
    }

    private void Finish(string name, ProcessResult run, TimeSpan build)
    {
        if (run.ExitCode is null)
        {
            report.Fail(name, $"did not finish within {ProgramTimeout.TotalMinutes:0} minutes", run.Elapsed);
        }
        else if (!run.Succeeded)
        {
            report.Fail(name, $"ran and exited with {run.ExitCode}", run.Elapsed);
        }
        else
        {
            report.Pass(name, string.Create(CultureInfo.InvariantCulture, $"built in {build.TotalSeconds:0.0} s, ran in {run.Elapsed.TotalSeconds:0.0} s"));
        }

        if (run.Output.Length > 0)
        {
            report.Detail(run.Tail(run.Succeeded ? 15 : 40));
        }
    }

    /// <summary>
    /// A fresh folder to run a block in, as if at the repository's root: tests/, samples/ and benchmarks/ are the
    /// repository's (linked, so the README's data paths work), and whatever the block writes stays in the folder.
    /// </summary>
    private string RunFolder(ReadmeBlock block)
    {
        var folder = Path.Combine(work, "run", block.Name);
        Directory.CreateDirectory(folder);
        foreach (var data in new[] { "tests", "samples", "benchmarks" })
        {
            var target = Path.Combine(options.Repository, data);
            var link = Path.Combine(folder, data);
            try
            {
                Directory.CreateSymbolicLink(link, target);
            }
            catch (IOException)
            {
                CopyDirectory(target, link);
            }
            catch (UnauthorizedAccessException)
            {
                CopyDirectory(target, link);
            }
        }

        return folder;
    }

    private static string Describe(ReadmeScan scan, ReadmeBlock block)
    {
        var chain = scan.Chain(block);
        var after = chain.Count > 1 ? $", after {string.Join(" + ", chain.SkipLast(1).Select(b => b.Name))}" : string.Empty;
        return $"README block '{block.Name}' ({block.Language}, README.md:{block.FirstLine - 1}{after})";
    }

    /// <summary>
    /// The consumer's NuGet configuration: the packed folder as a source beside the machine's own, a private packages
    /// folder (so the packages under test never enter the machine's cache), and the machine's cache as a read-only
    /// fallback for the dependencies it already holds.
    /// </summary>
    private string NuGetConfig(string? userPackages) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="{privatePackages}" />
          </config>
          <packageSources>
            <add key="mlsystemdesign-under-test" value="{Path.Combine(work, "packages")}" />
          </packageSources>
        {(userPackages is null ? string.Empty : $"""
          <fallbackPackageFolders>
            <add key="machine" value="{userPackages}" />
          </fallbackPackageFolders>
        """)}
        </configuration>
        """;

    private Dictionary<string, string> PrivateCache() => new() { ["NUGET_PACKAGES"] = privatePackages };

    private async Task<string?> UserPackagesFolderAsync()
    {
        var locals = await DotnetAsync(["nuget", "locals", "global-packages", "--list"], work, StepTimeout).ConfigureAwait(false);
        var line = locals.Output.ReplaceLineEndings("\n").Split('\n').FirstOrDefault(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        var folder = line?["global-packages:".Length..].Trim();
        return folder is { Length: > 0 } && Directory.Exists(folder) ? folder : null;
    }

    private string RepositoryVersion()
    {
        var props = File.ReadAllText(Path.Combine(options.Repository, "Directory.Build.props"));
        return VersionPrefix().Match(props) is { Success: true } m ? m.Groups["v"].Value : "0.0.0";
    }

    private static Task<ProcessResult> DotnetAsync(string[] arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync("dotnet", arguments, workingDirectory, timeout, environment);

    /// <summary>The distinct lines of MSBuild output that match (warnings or errors), without the trailing project path.</summary>
    private static string Problems(string output, Regex kind) => string.Join('\n', output.ReplaceLineEndings("\n").Split('\n')
        .Where(l => kind.IsMatch(l))
        .Select(l => ProjectSuffix().Replace(l.Trim(), string.Empty))
        .Distinct(StringComparer.Ordinal)
        .Take(30));

    private static string Size(long bytes) => bytes >= 1_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0} kB");

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var destination = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
