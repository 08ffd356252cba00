using System.Diagnostics;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// Long random sequences of identify, events, merge, undo, delete, suppress, unsuppress and settings changes over a
/// small pool of identifiers (so that they collide often), applied through the batch entry point, with the
/// invariants checked after every batch.
/// </summary>
public sealed class InvariantTests
{
    private const int Sequences = 10;
    private const int OperationsPerSequence = 1000;
    private const int BatchSize = 100;

    // Where the time goes, reported as a diagnostic message (never asserted on).
    private static long s_apply;
    private static long s_check;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheIdentityInvariantsHoldOverTenThousandRandomOperations()
    {
        var applied = 0;
        var stopwatch = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var step = Gen.Select(Gen.Int[0, 15], Gen.Int[0, 7], Gen.Int[0, 7], Gen.Int[0, 3]);

        await step.Array[OperationsPerSequence].SampleAsync(
            async steps =>
            {
                await using var harness = await PeopleHarness.CreateAsync(Ct);
                var model = new Model();
                for (var start = 0; start < steps.Length; start += BatchSize)
                {
                    var batch = steps.Skip(start).Take(BatchSize).Select(s => model.Operation(s.Item1, s.Item2, s.Item3, s.Item4)).ToList();
                    harness.Clock.Advance();
                    var t0 = Stopwatch.GetTimestamp();
                    var results = await harness.Service.ExecuteBatchAsync(harness.Context(), batch, Ct);
                    Interlocked.Add(ref s_apply, Stopwatch.GetTimestamp() - t0);
                    harness.Errors.Entries.FirstOrDefault().ShouldBeNull();
                    model.Observe(results);
                    var t1 = Stopwatch.GetTimestamp();
                    await CheckAsync(harness, model);
                    Interlocked.Add(ref s_check, Stopwatch.GetTimestamp() - t1);
                }

                Interlocked.Add(ref applied, steps.Length);
            },
            iter: Sequences,
            threads: 1,
            writeLine: line => TestContext.Current.SendDiagnosticMessage(line));

        applied.ShouldBeGreaterThanOrEqualTo(10_000);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        TestContext.Current.SendDiagnosticMessage(
            $"{applied} operations: {stopwatch.Elapsed.TotalSeconds:F1} s wall ({s_apply / (double)Stopwatch.Frequency:F1} s applying, {s_check / (double)Stopwatch.Frequency:F1} s checking), {cpu.TotalSeconds:F1} s CPU of this process");
    }

    private static async Task CheckAsync(PeopleHarness harness, Model model)
    {
        await using var db = await harness.ContextAsync(Ct);
        var people = await db.People.AsNoTracking().Where(p => p.WorkspaceId == harness.WorkspaceId).ToListAsync(Ct);
        var mode = (await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == harness.WorkspaceId, Ct)).Settings.Identifiers;

        // No identifier value held by two live people.
        people.Where(p => p.ExternalId != null).GroupBy(p => p.ExternalId, StringComparer.Ordinal).ShouldAllBe(g => g.Count() == 1);
        if (mode == IdentifierMode.EmailOrId)
        {
            people.Where(p => p.EmailNormalized != null).GroupBy(p => p.EmailNormalized).ShouldAllBe(g => g.Count() == 1);
            people.ShouldAllBe(p => p.ExternalId != null || p.Email != null);
        }
        else
        {
            people.ShouldAllBe(p => p.ExternalId != null);
        }

        // No cio_id changed or given to another person: a cio_id always names the profile first seen with it.
        foreach (var person in people)
        {
            if (model.FirstSeen.TryGetValue(person.CioId, out var firstSeen))
            {
                person.FirstSeenMs.ShouldBe(firstSeen, $"cio_{person.CioId} was given to another profile");
            }
            else
            {
                model.FirstSeen[person.CioId] = person.FirstSeenMs;
            }
        }

        // No suppressed identifier on a live person.
        var suppressed = await db.Suppressions.AsNoTracking().Where(s => s.WorkspaceId == harness.WorkspaceId).ToListAsync(Ct);
        var suppressedIds = suppressed.Where(s => s.Kind == IdentifierKind.Id).Select(s => s.ValueKey).ToHashSet(StringComparer.Ordinal);
        var suppressedEmails = suppressed.Where(s => s.Kind == IdentifierKind.Email).Select(s => s.ValueKey).ToHashSet(StringComparer.Ordinal);
        people.ShouldAllBe(p => p.ExternalId == null || !suppressedIds.Contains(p.ExternalId));
        if (mode == IdentifierMode.EmailOrId)
        {
            people.ShouldAllBe(p => p.EmailNormalized == null || !suppressedEmails.Contains(p.EmailNormalized));
        }

        // Activity follows people through merges and undos: an entry attached to a person was written for them or
        // for someone merged into them (and not undone); a live person's own entries are all attached to them.
        var byId = people.ToDictionary(p => p.Id);
        var byCio = people.ToDictionary(p => p.CioId);
        var retiredInto = (await db.MergeRecords.AsNoTracking().Where(m => m.WorkspaceId == harness.WorkspaceId && m.UndoneMs == null).ToListAsync(Ct))
            .ToDictionary(m => m.SecondaryCioId, m => m.PrimaryCioId);
        var entries = await db.Activities.AsNoTracking().Where(a => a.WorkspaceId == harness.WorkspaceId && a.CioId != null)
            .Select(a => new { a.Id, a.PersonId, a.CioId }).ToListAsync(Ct);
        foreach (var entry in entries)
        {
            if (entry.PersonId is { } personId)
            {
                var owner = byId[personId].CioId;
                var cio = entry.CioId!;
                for (var hops = 0; cio != owner && hops < 1000; hops++)
                {
                    retiredInto.TryGetValue(cio, out var next).ShouldBeTrue($"entry {entry.Id} of cio_{entry.CioId} is attached to cio_{owner}");
                    cio = next!;
                }

                cio.ShouldBe(owner);
            }

            if (byCio.TryGetValue(entry.CioId!, out var live))
            {
                entry.PersonId.ShouldBe(live.Id, $"entry {entry.Id} of live cio_{live.CioId} is not attached to them");
            }
        }
    }

    /// <summary>Turns random numbers into operations over a small pool of ids and emails, with the cio_ids seen so far.</summary>
    private sealed class Model
    {
        private readonly List<string> _cioIds = [];
        private long _merges;

        public Dictionary<string, long> FirstSeen { get; } = [];

        public void Observe(IReadOnlyList<OperationResult> results)
        {
            foreach (var result in results)
            {
                if (result.CioId is { } cio && !_cioIds.Contains(cio))
                {
                    _cioIds.Add(cio);
                }

                if (result.MergedCioId is not null)
                {
                    _merges++;
                }
            }
        }

        private static string Id(int i) => "u" + i;

        private static string Email(int i, int variant) => (variant == 1 ? "E" : "e") + i + "@x.com";

        private PersonReference Reference(int i, int variant) => variant switch
        {
            0 => PersonReference.ForId(Id(i)),
            3 when _cioIds.Count > 0 => PersonReference.ForCioId(_cioIds[i % _cioIds.Count]),
            _ => PersonReference.ForEmail(Email(i, variant)),
        };

        private static Dictionary<string, AttributeValue> Body(int a, int b, int variant)
        {
            var body = new Dictionary<string, AttributeValue> { ["n" + (b % 3)] = AttributeValue.FromNumber(a) };
            switch (variant)
            {
                case 0:
                    body["id"] = AttributeValue.FromString(Id(b));
                    break;
                case 1:
                    body["email"] = AttributeValue.FromString(Email(b, a % 2));
                    break;
                case 2:
                    body["id"] = AttributeValue.FromString(Id(b));
                    body["email"] = AttributeValue.FromString(Email(a, 0));
                    break;
                default:
                    body["email"] = AttributeValue.Remove;
                    body["anonymous_id"] = AttributeValue.FromString("anon" + (a % 3));
                    break;
            }

            return body;
        }

        public PeopleOperation Operation(int kind, int a, int b, int variant) => kind switch
        {
            <= 4 => new IdentifyOperation(Reference(a, variant), Body(a, b, (variant + kind) % 4)),
            5 => new MergeOperation(Reference(a, variant), Reference(b, (variant + 1) % 4)),
            6 => new UndoMergeOperation(1 + (a * 8 + b) % Math.Max(1, _merges + 8)),
            7 => new DeletePersonOperation(Reference(a, variant)),
            8 => new SuppressOperation(Reference(a, variant)),
            9 => new UnsuppressOperation(Reference(a, variant % 3)),
            10 => new TrackEventOperation(Reference(a, variant), new EventInput("e" + b, EventInput.EventType, null, null, variant == 2 ? "ev" + a + b : null)),
            11 => new TrackAnonymousEventOperation("anon" + (a % 3), new EventInput("anon", EventInput.PageType, null, null, null)),
            12 => new UpsertDeviceOperation(Reference(a, variant), new DeviceInput("tok" + b, "ios", null, null)),
            13 => new ChangeSettingsOperation(new SettingsPatch { MultiIdentifierMerge = a % 2 == 0, AllowEmailUpdatesById = b % 2 == 0 }),
            14 => new ChangeSettingsOperation(new SettingsPatch { Identifiers = a % 2 == 0 ? IdentifierMode.IdOnly : IdentifierMode.EmailOrId, ReferencePeopleByCioId = b % 2 == 0 }),
            _ => new AddPersonOperation(variant == 1 ? null : Id(a), variant == 0 ? null : Email(b, 0), new Dictionary<string, AttributeValue>()),
        };
    }
}
