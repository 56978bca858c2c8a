using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Registry;
using Spectre.Console;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;
using static MLSystemDesign.Cli.Commands.Registry.RegistryOutput;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry list</c>: lists models, or searches a model's versions by tag and metric.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string?>("model") { Description = "List this model's versions; every model when left out.", Arity = ArgumentArity.ZeroOrOne };
        var tags = new Option<string[]>("--tag") { Description = "Only versions with this tag key=value, or key (repeatable)." };
        var orderBy = new Option<string?>("--order-by") { Description = "Order by this metric, best first by its declared direction (log_loss, rmse, mae: smallest first; accuracy, auc, f1, r2: largest first). A metric without a declared direction needs --ascending or --descending." };
        var ascending = new Option<bool>("--ascending") { Description = "With --order-by: smallest first, whatever the metric's direction." };
        var descending = new Option<bool>("--descending") { Description = "With --order-by: largest first, whatever the metric's direction." };
        var archived = new Option<bool>("--include-archived") { Description = "Include archived versions." };
        var limit = new Option<int>("--limit") { Description = "At most this many versions (0: all).", DefaultValueFactory = _ => 0 };
        return Define(context, "list", "List models, or search a model's versions by tag and metric.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var name = parse.GetValue(model);
            var tagFilters = parse.GetValue(tags) ?? [];
            if (name is null && tagFilters.Length == 0 && parse.GetValue(orderBy) is null)
            {
                var models = await registry.ListModelsAsync(ct).ConfigureAwait(false);
                if (json)
                {
                    context.WriteJson(models);
                }
                else
                {
                    var table = new Table().Border(TableBorder.Simple).AddColumns("model", "latest", "active", "aliases", "owner", "updated (UTC)");
                    foreach (var m in models)
                    {
                        table.AddRow(Esc(m.Name), m.LatestVersion.ToString(CultureInfo.InvariantCulture), m.ActiveVersions.ToString(CultureInfo.InvariantCulture), Esc(string.Join(", ", m.Aliases.Select(a => $"{a.Key}→{a.Value}"))), Esc(m.Owner ?? string.Empty), Date(m.UpdatedAt));
                    }

                    context.Console.Write(table);
                }

                return ExitCodes.Success;
            }

            bool? order = (parse.GetValue(ascending), parse.GetValue(descending)) switch
            {
                (true, true) => throw new ArgumentException("--ascending and --descending contradict each other; give one."),
                (true, false) => false,
                (false, true) => true,
                _ => null,
            };
            var metrics = context.Services.GetRequiredService<IMetricCatalog>();
            if (parse.GetValue(orderBy) is { } metric && order is null && !metrics.TryGet(metric, out _))
            {
                throw new ArgumentException($"--order-by {metric}: the metric has no declared direction; give --ascending or --descending. Metrics with a declared direction: {string.Join(", ", metrics.Definitions.Select(d => d.Name))}.");
            }

            var versions = await registry.SearchAsync(new ModelVersionQuery
            {
                Name = name,
                Tags = tagFilters.Select(t => t.IndexOf('=', StringComparison.Ordinal) is var i and >= 0 ? new TagFilter(t[..i], t[(i + 1)..]) : new TagFilter(t)).ToList(),
                OrderByMetric = parse.GetValue(orderBy),
                Descending = order,
                IncludeArchived = parse.GetValue(archived),
                Limit = parse.GetValue(limit),
            }, ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(versions.Select(VersionJson));
            }
            else
            {
                var table = new Table().Border(TableBorder.Simple).AddColumns("version", "state", "registered (UTC)", "by", "aliases", "metrics", "tags");
                foreach (var v in versions)
                {
                    table.AddRow(Esc(v.ToString()), v.State.ToString().ToLowerInvariant(), Date(v.RegisteredAt), Esc(v.RegisteredBy), Esc(string.Join(", ", v.Aliases)), Esc(string.Join(", ", v.Metrics.Select(m => $"{m.Key}={m.Value.ToString("0.####", CultureInfo.InvariantCulture)}"))), Esc(string.Join(", ", v.Tags.Select(t => $"{t.Key}={t.Value}"))));
                }

                context.Console.Write(table);
            }

            return ExitCodes.Success;
        }, model, tags, orderBy, ascending, descending, archived, limit);
    }
}
