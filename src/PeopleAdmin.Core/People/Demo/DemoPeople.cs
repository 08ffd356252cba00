using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bogus;

namespace PeopleAdmin.Core.People.Demo;

/// <summary>What the generator did: people created, events recorded, items refused, and the time it took.</summary>
public sealed record DemoProgress(long People, long Events, long Refused, TimeSpan Elapsed)
{
    public double PeoplePerSecond => Elapsed.TotalSeconds > 0 ? People / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Realistic demo people (names, emails, ids, plan, country, age, company, signup dates as created_at) and their
/// events, written through the identity service's bulk path in chunks. The same seed gives the same people, so
/// benchmarks and demos are repeatable; the person number is part of the id and email, so they never collide.
/// 
/// </summary>
public sealed class DemoPeople(int seed = 20261128)
{
    private readonly Pools _pools = new(seed);

    /// <summary>
    /// People per transaction. Larger chunks write each index page fewer times per person: 1,000,000 people took 394 s
    /// in chunks of 5,000 and 213 to 222 s in chunks of 50,000 (216 s in chunks of 200,000, with twice the memory).
    /// </summary>
    public const int DefaultChunk = 50_000;

    private static readonly string[] Plans = ["free", "basic", "pro", "enterprise"];
    private static readonly double[] PlanWeights = [0.55, 0.25, 0.15, 0.05];
    private static readonly string[] EventNames = ["signed_in", "viewed_pricing", "started_trial", "invited_teammate", "exported_report"];
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The identify of person <paramref name="number"/>: the same number always gives the same person.</summary>
    public IdentifyOperation Person(long number)
    {
        // Bogus is slow per call; its values are drawn once into pools and picked here by a cheap seeded random.
        var random = new Random(unchecked(seed + (int)number * 7919));
        var firstIndex = random.Next(_pools.FirstNames.Length);
        var lastIndex = random.Next(_pools.LastNames.Length);
        var first = _pools.FirstNames[firstIndex];
        var last = _pools.LastNames[lastIndex];
        var signedUp = Epoch.AddDays(-random.Next(0, 5 * 365)).AddSeconds(random.Next(0, 86_400));
        var email = $"{_pools.CleanFirstNames[firstIndex]}.{_pools.CleanLastNames[lastIndex]}.{number.ToString(CultureInfo.InvariantCulture)}@{Pick(_pools.Domains, random)}";
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [ReservedKeys.Email] = AttributeValue.FromString(email),
            [ReservedKeys.CreatedAt] = AttributeValue.FromNumber(new DateTimeOffset(signedUp).ToUnixTimeSeconds()),
            ["first_name"] = AttributeValue.FromString(first),
            ["last_name"] = AttributeValue.FromString(last),
            ["plan"] = AttributeValue.FromString(PlanOf(random.NextDouble())),
            ["country"] = AttributeValue.FromString(Pick(_pools.Countries, random)),
            ["age"] = AttributeValue.FromNumber(random.Next(18, 81)),
            ["company"] = AttributeValue.FromString(Pick(_pools.Companies, random)),
            ["lifetime_value"] = AttributeValue.FromNumber(Math.Round(random.NextDouble() * 5_000, 2)),
            ["newsletter"] = AttributeValue.FromBoolean(random.NextDouble() < 0.4),
        };
        return new IdentifyOperation(PersonReference.ForId(Id(number)), attributes);
    }

    private static string Pick(string[] pool, Random random) => pool[random.Next(pool.Length)];

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

    /// <summary>The events of person <paramref name="number"/>, by their id.</summary>
    public IEnumerable<TrackEventOperation> Events(long number, int count)
    {
        var random = new Random(unchecked(seed ^ (int)number * 104_729));
        for (var i = 0; i < count; i++)
        {
            var name = EventNames[random.Next(EventNames.Length)];
            var data = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["n"] = i, ["plan_page"] = random.Next(2) == 0 });
            var at = new DateTimeOffset(Epoch.AddMinutes(-random.Next(0, 525_600))).ToUnixTimeSeconds();
            yield return new TrackEventOperation(PersonReference.ForId(Id(number)), new EventInput(name, EventInput.EventType, data, at, null));
        }
    }

    /// <summary>
    /// Creates people <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 (and their
    /// events) through <see cref="PeopleService"/>, reporting after each chunk once it is committed.
    /// </summary>
    public async Task<DemoProgress> GenerateAsync(
        PeopleService service, OperationContext context, long first, long count, int eventsPerPerson,
        IProgress<DemoProgress>? progress, CancellationToken cancellationToken, int chunk = DefaultChunk)
    {
        var watch = Stopwatch.StartNew();
        long people = 0, events = 0, refused = 0;
        var chunkSize = Math.Max(1, chunk);
        var end = first + count;
        // The next chunk is made on another core while the writer applies this one.
        var making = Task.Run(() => Chunk(first, (int)Math.Min(chunkSize, count), eventsPerPerson), cancellationToken);
        for (var start = first; start < end; start += chunkSize)
        {
            var (identifies, tracks) = await making;
            var nextStart = start + chunkSize;
            if (nextStart < end)
            {
                making = Task.Run(() => Chunk(nextStart, (int)Math.Min(chunkSize, end - nextStart), eventsPerPerson), cancellationToken);
            }

            foreach (var result in await service.ImportPeopleAsync(context, identifies, cancellationToken))
            {
                if (result.Status == OperationStatus.Applied && result.Created)
                {
                    people++;
                }
                else if (result.Status == OperationStatus.Rejected)
                {
                    refused++;
                }
            }

            if (tracks.Count > 0)
            {
                foreach (var result in await service.ExecuteBatchAsync(context, tracks, cancellationToken))
                {
                    if (result.Status == OperationStatus.Applied)
                    {
                        events++;
                    }
                    else if (result.Status == OperationStatus.Rejected)
                    {
                        refused++;
                    }
                }
            }

            progress?.Report(new DemoProgress(people, events, refused, watch.Elapsed));
        }

        return new DemoProgress(people, events, refused, watch.Elapsed);
    }

    private (IdentifyOperation[] People, List<PeopleOperation> Events) Chunk(long start, int size, int eventsPerPerson)
    {
        var identifies = new IdentifyOperation[size];
        var tracks = new List<PeopleOperation>(size * eventsPerPerson);
        for (var i = 0; i < size; i++)
        {
            identifies[i] = Person(start + i);
            if (eventsPerPerson > 0)
            {
                tracks.AddRange(Events(start + i, eventsPerPerson));
            }
        }

        return (identifies, tracks);
    }

    private static string Clean(string name) =>
        new([.. name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

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
