using System.Diagnostics;
using System.Globalization;
using Bogus;
using PeopleAdmin.Core.Imports;

namespace PeopleAdmin.Core.People.Demo;

/// <summary>What the generator did: people created, events recorded, rows refused, the time it took, and why it stopped early.</summary>
public sealed record DemoProgress(long People, long Events, long Refused, TimeSpan Elapsed, string? Error = null)
{
    public double PeoplePerSecond => Elapsed.TotalSeconds > 0 ? People / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Realistic demo people (names, emails, ids, plan, country, age, company, signup dates as created_at) and their
/// events, written through the import engine (<see cref="ImportService.RunNowAsync"/>) as rows of a file would be, so
/// that the generator's speed is the engine's. The same seed gives the same people, so benchmarks and demos are
/// repeatable; the person number is part of the id and email, so they never collide.
/// </summary>
public sealed class DemoPeople(int seed = 20261128)
{
    private readonly Pools _pools = new(seed);

    /// <summary>
    /// People per batch of the engine. Larger batches write each index page fewer times per person but hold more rows:
    /// 200,000 people took 23.6 s of CPU and 549 MB in chunks of 20,000 and 25.3 s and 347 MB in chunks of 5,000; in
    /// chunks of 50,000 (on the server GC then) 22.7 s and 883 MB (docs/performance.md, #21).
    /// </summary>
    public const int DefaultChunk = 20_000;

    /// <summary>The columns of a person's row: ten values beside the id.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["id", "email", "created_at", "first_name", "last_name", "plan", "country", "age", "company", "lifetime_value", "newsletter"];

    /// <summary>The columns of an event's row: the person's id, the event's name and time, and its data.</summary>
    public static readonly IReadOnlyList<string> EventColumns = ["id", ImportColumns.EventName, ImportColumns.EventTimestamp, "n", "plan_page"];

    private static readonly string[] Plans = ["free", "basic", "pro", "enterprise"];
    private static readonly double[] PlanWeights = [0.55, 0.25, 0.15, 0.05];
    private static readonly string[] EventNames = ["signed_in", "viewed_pricing", "started_trial", "invited_teammate", "exported_report"];
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Person <paramref name="number"/> as a row of <see cref="Columns"/>: the same number always gives the same person.</summary>
    public string[] Row(long number)
    {
        // Bogus is slow per call; its values are drawn once into pools and picked here by a cheap seeded random.
        var random = new RowRandom(seed, number);
        var firstIndex = random.Next(_pools.FirstNames.Length);
        var lastIndex = random.Next(_pools.LastNames.Length);
        var signedUp = Epoch.AddDays(-random.Next(0, 5 * 365)).AddSeconds(random.Next(0, 86_400));
        var email = $"{_pools.CleanFirstNames[firstIndex]}.{_pools.CleanLastNames[lastIndex]}.{number.ToString(CultureInfo.InvariantCulture)}@{Pick(_pools.Domains, ref random)}";
        return
        [
            Id(number),
            email,
            new DateTimeOffset(signedUp).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            _pools.FirstNames[firstIndex],
            _pools.LastNames[lastIndex],
            PlanOf(random.NextDouble()),
            Pick(_pools.Countries, ref random),
            random.Next(18, 81).ToString(CultureInfo.InvariantCulture),
            Pick(_pools.Companies, ref random),
            Math.Round(random.NextDouble() * 5_000, 2).ToString(CultureInfo.InvariantCulture),
            random.NextDouble() < 0.4 ? "true" : "false",
        ];
    }

    /// <summary>The identify the engine makes of person <paramref name="number"/>'s row.</summary>
    public IdentifyOperation Person(long number)
    {
        var cells = Row(number);
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        for (var i = 1; i < Columns.Count; i++)
        {
            attributes[Columns[i]] = ImportColumns.Value(cells[i]);
        }

        return new IdentifyOperation(PersonReference.ForId(cells[0]), attributes);
    }

    private static string Pick(string[] pool, ref RowRandom random) => pool[random.Next(pool.Length)];

    private static string PlanOf(double draw)
    {
        for (var i = 0; i < Plans.Length; i++)
        {
            draw -= PlanWeights[i];
            if (draw < 0)
            {
                return Plans[i];
            }
        }

        return Plans[^1];
    }

    public static string Id(long number) => "user-" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>The events of person <paramref name="number"/> as rows of <see cref="EventColumns"/>.</summary>
    public IEnumerable<string[]> EventRows(long number, int count)
    {
        var random = new RowRandom(~seed, number);
        for (var i = 0; i < count; i++)
        {
            var name = EventNames[random.Next(EventNames.Length)];
            var planPage = random.Next(2) == 0 ? "true" : "false";
            var at = new DateTimeOffset(Epoch.AddMinutes(-random.Next(0, 525_600))).ToUnixTimeSeconds();
            yield return [Id(number), name, at.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture), planPage];
        }
    }

    /// <summary>
    /// Imports people <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1, then their
    /// events, through the import engine in batches of <paramref name="chunk"/> rows (two imports of the workspace, by
    /// <paramref name="requestedBy"/>), reporting after each batch once it is committed. Rows are made as the engine
    /// reads them, while the writer applies the batch before.
    /// </summary>
    public async Task<DemoProgress> GenerateAsync(
        ImportService imports, int workspaceId, string requestedBy, long first, long count, int eventsPerPerson,
        IProgress<DemoProgress>? progress, CancellationToken cancellationToken, int chunk = DefaultChunk)
    {
        var watch = Stopwatch.StartNew();
        var last = first + count - 1;
        var people = await imports.RunNowAsync(
            workspaceId,
            new ImportRequest($"seed-demo people {first} to {last}", new ImportOptions(), requestedBy),
            new InMemorySource(Columns, Numbers(first, count).Select(Row)),
            cancellationToken,
            new InlineProgress(i => progress?.Report(new DemoProgress(i.RowsCreated, 0, Refused(i), watch.Elapsed))),
            chunk);
        var done = new DemoProgress(people.RowsCreated, 0, Refused(people), watch.Elapsed, people.Error);
        if (eventsPerPerson == 0 || people.State != ImportState.Imported)
        {
            return done;
        }

        var events = await imports.RunNowAsync(
            workspaceId,
            new ImportRequest($"seed-demo events of people {first} to {last}", new ImportOptions { Type = ImportType.Event }, requestedBy),
            new InMemorySource(EventColumns, Numbers(first, count).SelectMany(n => EventRows(n, eventsPerPerson))),
            cancellationToken,
            new InlineProgress(i => progress?.Report(done with { Events = EventsOf(i), Refused = done.Refused + Refused(i), Elapsed = watch.Elapsed })),
            chunk);
        return done with { Events = EventsOf(events), Refused = done.Refused + Refused(events), Elapsed = watch.Elapsed, Error = events.Error };
    }

    private static long EventsOf(Import import) => import.RowsCreated + import.RowsUpdated;

    private static long Refused(Import import) => import.RowsFailed + import.RowsSkipped;

    private static IEnumerable<long> Numbers(long first, long count)
    {
        for (var number = first; number < first + count; number++)
        {
            yield return number;
        }
    }

    /// <summary>Reports on the engine's own task, so that reports come in the order of the batches.</summary>
    private sealed class InlineProgress(Action<Import> report) : IProgress<Import>
    {
        public void Report(Import value) => report(value);
    }

    private static string Clean(string name) =>
        new([.. name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

    /// <summary>
    /// SplitMix64 over the seed and the person's number: the draws of one row, with no allocation (a seeded
    /// <see cref="Random"/> per row allocated and filled a table of 56 numbers for every person).
    /// </summary>
    private struct RowRandom(int seed, long number)
    {
        private ulong _state = ((ulong)(uint)seed << 32) ^ (ulong)number * 0x9E3779B97F4A7C15UL;

        public int Next(int maxExclusive) => (int)((Draw() >> 32) * (ulong)maxExclusive >> 32);

        public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

        public double NextDouble() => (Draw() >> 11) * (1.0 / (1UL << 53));

        private ulong Draw()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Names, companies, domains and countries drawn from Bogus once per generator.</summary>
    private sealed class Pools
    {
        public Pools(int seed)
        {
            var faker = new Faker { Random = new Randomizer(seed) };
            FirstNames = [.. Enumerable.Range(0, 2_000).Select(_ => faker.Name.FirstName())];
            LastNames = [.. Enumerable.Range(0, 2_000).Select(_ => faker.Name.LastName())];
            Companies = [.. Enumerable.Range(0, 5_000).Select(_ => faker.Company.CompanyName())];
            Domains = [.. Enumerable.Range(0, 500).Select(_ => faker.Internet.DomainName())];
            Countries = [.. Enumerable.Range(0, 500).Select(_ => faker.Address.CountryCode())];
            CleanFirstNames = [.. FirstNames.Select(Clean)];
            CleanLastNames = [.. LastNames.Select(Clean)];
        }

        public string[] CleanFirstNames { get; }

        public string[] CleanLastNames { get; }

        public string[] FirstNames { get; }

        public string[] LastNames { get; }

        public string[] Companies { get; }

        public string[] Domains { get; }

        public string[] Countries { get; }
    }
}
