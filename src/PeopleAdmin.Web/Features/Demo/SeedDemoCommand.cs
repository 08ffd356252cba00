using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People.Demo;

namespace PeopleAdmin.Web.Features.Demo;

/// <summary>
/// <c>seed-demo --people N [--workspace &lt;id or name&gt;] [--events-per-person N] [--first N] [--chunk N]</c>: fills a
/// workspace (the oldest by default) with demo people through the import engine (an import of the workspace, then one
/// of their events), printing progress and the rate.
/// Exit codes as the other verbs: 0 done, 1 refused, 2 bad usage.
/// </summary>
internal sealed class SeedDemoCommand(ImportService imports, IDbContextFactory<PeopleAdminDbContext> factory)
{
    public const string Verb = "seed-demo";

    private static readonly string Usage = $"""
        Usage:
          seed-demo --people <count> [--workspace <id or name>] [--events-per-person <count>] [--first <person number>] [--chunk <count>]
        People are numbered; --first defaults to the workspace's next cio number, so a second run adds new people.
        --chunk sets the rows written per batch of the import engine (default {DemoPeople.DefaultChunk.ToString("N0", CultureInfo.InvariantCulture)}); progress is reported after each.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await error.WriteLineAsync($"{problem}\n{Usage}");
            return 2;
        }

        if (!TryNumber(options, "people", null, out var count, out problem) || count < 1
            || !TryNumber(options, "events-per-person", 0, out var eventsPerPerson, out problem) || eventsPerPerson is < 0 or > 1000
            || !TryNumber(options, "chunk", DemoPeople.DefaultChunk, out var chunk, out problem) || chunk is < 1 or > ImportsOptions.MaxBatchRows)
        {
            await error.WriteLineAsync($"{problem ?? "--people must be at least 1, --events-per-person between 0 and 1000 and --chunk between 1 and 100,000."}\n{Usage}");
            return 2;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var name = options.GetValueOrDefault("workspace");
        var workspace = name is null
            ? await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).FirstOrDefaultAsync(cancellationToken)
            : int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken)
                : await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Name == name, cancellationToken);
        if (workspace is null)
        {
            await error.WriteLineAsync($"No workspace has the id or name \"{name}\".");
            return 1;
        }

        if (!TryNumber(options, "first", workspace.NextCioNumber, out var first, out problem) || first < 1)
        {
            await error.WriteLineAsync($"{problem ?? "--first must be at least 1."}\n{Usage}");
            return 2;
        }

        await output.WriteLineAsync($"Seeding {count:N0} people into workspace {workspace.Id} ({workspace.Name}), from person {first}, {eventsPerPerson} events each.");
        var progress = new SynchronousProgress(p => output.WriteLine(
            $"committed {p.People:N0} people, {p.Events:N0} events, {p.Refused:N0} refused in {p.Elapsed.TotalSeconds:N1} s ({p.PeoplePerSecond:N0} people/s)"));
        var done = await new DemoPeople().GenerateAsync(
            imports, workspace.Id, Verb, first, count, (int)eventsPerPerson, progress, cancellationToken, (int)chunk);
        if (done.Error is { } stopped)
        {
            await error.WriteLineAsync($"The import stopped: {stopped}");
        }

        await output.WriteLineAsync($"Done: {done.People:N0} people and {done.Events:N0} events in {done.Elapsed.TotalSeconds:N1} s ({done.PeoplePerSecond:N0} people/s).");
        return done.Refused == 0 && done.Error is null ? 0 : 1;
    }

    private static bool TryParse(IReadOnlyList<string> args, out Dictionary<string, string> options, out string? problem)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = null;
        string[] known = ["people", "workspace", "events-per-person", "first", "chunk"];
        for (var i = 1; i < args.Count; i++)
        {
            var key = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (key is null || !known.Contains(key) || i + 1 >= args.Count)
            {
                problem = key is null || !known.Contains(key) ? $"Unexpected argument \"{args[i]}\"." : $"--{key} needs a value.";
                return false;
            }

            options[key] = args[++i];
        }

        return true;
    }

    private static bool TryNumber(Dictionary<string, string> options, string key, long? fallback, out long value, out string? problem)
    {
        problem = null;
        if (!options.TryGetValue(key, out var text))
        {
            value = fallback ?? 0;
            problem = fallback is null ? $"--{key} is required." : null;
            return fallback is not null;
        }

        if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            problem = $"--{key} must be a whole number; it is \"{text}\".";
            return false;
        }

        return true;
    }

    /// <summary>Reports on the generator's own thread, so that lines come out in order.</summary>
    private sealed class SynchronousProgress(Action<DemoProgress> report) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => report(value);
    }
}
