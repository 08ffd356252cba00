using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Imports;

/// <summary>What a committed batch did, row by row, and the problems it recorded.</summary>
public sealed record ImportBatchOutcome(long Created, long Updated, long Skipped, long Failed, long Warnings);

/// <summary>
/// One batch of an import's rows, applied by the single writer in one transaction together with the import's
/// progress (its counts, its problems, and the last row it covers), so that a restart resumes after exactly the rows
/// whose outcome is committed. People go through the bulk path of identify (<see cref="ImportPeopleRules"/>), events
/// through the event rules each in a savepoint; a dry run applies the same way and rolls everything but the progress
/// back, so that its counts are the ones a run would give.
/// </summary>
internal sealed partial record ImportBatchOperation(long ImportId, ImportOptions Options, IReadOnlyList<ImportRow> Rows, long RowsThrough, int? SegmentId)
    : PeopleOperation
{
    /// <summary>The events applied, with their results, for the rules that run after a commit.</summary>
    internal List<(PeopleOperation Operation, OperationResult Result)> AppliedEvents { get; } = [];

    internal ImportBatchOutcome? Outcome { get; private set; }

    internal override long EstimatedBytes => Rows.Sum(r => r.Operation?.EstimatedBytes ?? BaseBytes);

    /// <summary>
    /// A batch of people writes people, their attributes and entries, their import record and their segment membership,
    /// each naming a person, the import, the workspace or the segment that the batch itself wrote or read, and it removes
    /// only attributes, which nothing refers to. Events, objects and relationships keep the database's checks.
    /// </summary>
    internal override bool KeepsItsOwnReferences => Options.Type == ImportType.People;

    internal override void Prepare()
    {
        foreach (var row in Rows)
        {
            row.Operation?.Prepare();
        }
    }

    internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken ct)
    {
        AppliedEvents.Clear();
        if (await session.FindWorkspaceAsync(ct) is not { } workspace)
        {
            return OperationResult.Rejected(ErrorKind.NotFound, "workspace", $"workspace {session.Context.WorkspaceId} does not exist");
        }

        const string dryRunSavepoint = "import_dry_run";
        if (Options.DryRun)
        {
            session.Connection.Savepoint(dryRunSavepoint);
        }

        var outcomes = new ImportRowOutcome[Rows.Count];
        var problems = new List<ImportProblem>();
        var members = new List<PersonReference>();
        var people = new Dictionary<string, ImportPerson>(StringComparer.Ordinal);
        await (Options.Type switch
        {
            ImportType.Event => ApplyEventsAsync(session, workspace, outcomes, problems, ct),
            ImportType.Object or ImportType.Relationship => ApplyObjectsAsync(session, workspace, outcomes, problems, members, ct),
            _ => ApplyPeopleAsync(session, workspace, outcomes, problems, members, people, ct),
        });
        await session.SaveAsync(ct);
        session.Saved();
        if (!Options.DryRun)
        {
            session.Connection.RecordImportPeople([.. people.Values]);
        }

        if (SegmentId is { } segmentId && members.Count > 0)
        {
            var joined = await new AddToSegmentOperation(segmentId, [.. members.Distinct()]).ApplyAsync(session, ct);
            if (joined.Status == OperationStatus.Rejected)
            {
                throw new InvalidOperationException($"segment {segmentId}: {joined.Error!.Message}");
            }

            await session.SaveAsync(ct);
            session.Saved();
        }

        if (Options.DryRun)
        {
            // Rows a provider held back are written first, so that the rollback takes them too.
            session.BulkCreate.Flush();
            session.Connection.RollbackToSavepoint(dryRunSavepoint);
            session.Reset();
            AppliedEvents.Clear();
        }

        Outcome = new ImportBatchOutcome(
            outcomes.Count(o => o == ImportRowOutcome.Created),
            outcomes.Count(o => o == ImportRowOutcome.Updated),
            outcomes.Count(o => o == ImportRowOutcome.Skipped),
            outcomes.Count(o => o == ImportRowOutcome.Failed),
            problems.Count(p => p.Kind == ImportProblemKind.Warning));
        await RecordAsync(session, problems, ct);
        return new OperationResult(OperationStatus.Applied);
    }

    private async Task ApplyPeopleAsync(
        WriteSession session, Workspace workspace, ImportRowOutcome[] outcomes, List<ImportProblem> problems, List<PersonReference> members,
        Dictionary<string, ImportPerson> people, CancellationToken ct)
    {
        var items = new List<IdentifyOperation>(Rows.Count);
        var itemRows = new List<int>(Rows.Count);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            if (Decide(row, outcomes, problems, i) is not IdentifyOperation identify)
            {
                continue;
            }

            if (workspace.Settings.Identifiers == IdentifierMode.IdOnly && identify.Reference.Kind == ReferenceKind.Email)
            {
                if (Options.DataToProcess == DataToProcess.OnlyNew)
                {
                    Skipped(outcomes, problems, i, row, identify.Reference.Value, "an id_only workspace creates people by id only, and the import takes only new people");
                    continue;
                }

                if (await HolderByEmailAsync(session, workspace, identify.Reference.Value, ct) is not { Count: 1 } holders)
                {
                    Skipped(outcomes, problems, i, row, identify.Reference.Value, "not exactly one person has this email; in an id_only workspace an email-keyed row updates only the one person who has it");
                    continue;
                }

                identify = identify with { Reference = PersonReference.ForCioId(holders[0]) };
                identify.Prepare();
            }
            else if (Options.DataToProcess == DataToProcess.OnlyNew
                && (IsHeld(session, workspace, identify.Reference) || !claimed.Add(Key(identify.Reference))))
            {
                Skipped(outcomes, problems, i, row, identify.Reference.Value, "someone holds this identifier, and the import takes only new people");
                continue;
            }

            items.Add(identify);
            itemRows.Add(i);
        }

        var identifies = new ImportPeopleOperation(items);
        await ImportPeopleRules.ApplyAsync(identifies, session, ct);
        for (var n = 0; n < items.Count; n++)
        {
            var i = itemRows[n];
            var result = identifies.Results[n];
            outcomes[i] = Classify(Rows[i], result, problems);
            if (outcomes[i] is ImportRowOutcome.Created or ImportRowOutcome.Updated && result.CioId is { } cioId)
            {
                members.Add(PersonReference.ForCioId(cioId));
                Touched(people, session.Context.WorkspaceId, cioId, outcomes[i], Rows[i].Row);
            }
        }
    }

    /// <summary>Notes a person the batch created or updated: once, with the first row that named them, created winning over updated.</summary>
    private void Touched(Dictionary<string, ImportPerson> people, int workspaceId, string cioId, ImportRowOutcome outcome, long row)
    {
        var created = outcome == ImportRowOutcome.Created;
        if (people.TryGetValue(cioId, out var seen))
        {
            seen.Outcome = created ? ImportPersonOutcome.Created : seen.Outcome;
            return;
        }

        people[cioId] = new ImportPerson
        {
            WorkspaceId = workspaceId,
            ImportId = ImportId,
            CioId = cioId,
            Outcome = created ? ImportPersonOutcome.Created : ImportPersonOutcome.Updated,
            Row = row,
        };
    }

    private async Task ApplyEventsAsync(WriteSession session, Workspace workspace, ImportRowOutcome[] outcomes, List<ImportProblem> problems, CancellationToken ct)
    {
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            if (Decide(row, outcomes, problems, i) is not TrackEventOperation tracked)
            {
                continue;
            }

            if (workspace.Settings.Identifiers == IdentifierMode.IdOnly && tracked.Reference.Kind == ReferenceKind.Email)
            {
                if (await HolderByEmailAsync(session, workspace, tracked.Reference.Value, ct) is not { Count: 1 } holders)
                {
                    Skipped(outcomes, problems, i, row, tracked.Reference.Value, "not exactly one person has this email; an event import applies to existing people only");
                    continue;
                }

                tracked = tracked with { Reference = PersonReference.ForCioId(holders[0]) };
            }
            else if (!IsHeld(session, workspace, tracked.Reference))
            {
                Skipped(outcomes, problems, i, row, tracked.Reference.Value, "nobody holds this identifier; an event import applies to existing people only");
                continue;
            }

            // A resumed import may send a committed row again only when its progress was not: the event's own id makes that harmless.
            tracked = tracked with { Event = tracked.Event with { EventId = $"import-{ImportId}-row-{row.Row}" } };
            var (result, _) = await ImportPeopleRules.ThroughRulesAsync(tracked, session, workspace, ct);
            outcomes[i] = Classify(row, result, problems);
            if (result.Status == OperationStatus.Applied)
            {
                AppliedEvents.Add((tracked, result));
            }
        }
    }

    /// <summary>The row's operation, or null when the row was decided before the service (its outcome and problem recorded).</summary>
    private static PeopleOperation? Decide(ImportRow row, ImportRowOutcome[] outcomes, List<ImportProblem> problems, int i)
    {
        if (row.Decided is { } decided)
        {
            outcomes[i] = decided;
            problems.Add(row.Problem!);
            return null;
        }

        return row.Operation;
    }

    /// <summary>The outcome of a row the service answered, with its problems: an error, a skip's reason, each identifier the import could not change.</summary>
    private static ImportRowOutcome Classify(ImportRow row, OperationResult result, List<ImportProblem> problems)
    {
        switch (result.Status)
        {
            case OperationStatus.Rejected:
                var error = result.Error!;
                problems.Add(ImportRow.NewProblem(ImportProblemKind.Error, row.Row, error.Field is { Length: > 0 } field ? field : row.IdentifierColumn, ValueOf(row, error.Field), error.Message));
                return ImportRowOutcome.Failed;
            case OperationStatus.Ignored:
                problems.Add(ImportRow.NewProblem(ImportProblemKind.Warning, row.Row, row.IdentifierColumn, ReferenceOf(row), $"skipped: {result.IgnoredReason}"));
                return ImportRowOutcome.Skipped;
        }

        foreach (var failed in result.FailedChanges)
        {
            problems.Add(ImportRow.NewProblem(ImportProblemKind.Warning, row.Row, failed.Identifier, failed.Value, $"{failed.Reason}; the row's other values were applied"));
        }

        return result.Created ? ImportRowOutcome.Created : ImportRowOutcome.Updated;
    }

    private static string ReferenceOf(ImportRow row) => row.Operation switch
    {
        IdentifyOperation identify => identify.Reference.Value,
        TrackEventOperation tracked => tracked.Reference.Value,
        Objects.IdentifyObjectOperation identify => identify.Object.ObjectId ?? "",
        Objects.RelatePersonOperation relate => relate.Person.Value,
        _ => "",
    };

    private static string ValueOf(ImportRow row, string field) =>
        row.Operation is IdentifyOperation identify && identify.Attributes.TryGetValue(field, out var value) ? value.Text ?? "" : ReferenceOf(row);

    private static void Skipped(ImportRowOutcome[] outcomes, List<ImportProblem> problems, int i, ImportRow row, string value, string reason)
    {
        outcomes[i] = ImportRowOutcome.Skipped;
        problems.Add(ImportRow.NewProblem(ImportProblemKind.Warning, row.Row, row.IdentifierColumn, value, reason));
    }

    private static bool IsHeld(WriteSession session, Workspace workspace, PersonReference reference) => reference.Kind == ReferenceKind.Id
        ? session.BulkCreate.IsIdHeld(workspace.Id, reference.Value)
        : session.BulkCreate.IsEmailHeld(workspace.Id, People.Person.NormalizeEmail(reference.Value));

    private static string Key(PersonReference reference) =>
        reference.Kind == ReferenceKind.Email ? "e:" + People.Person.NormalizeEmail(reference.Value) : "i:" + reference.Value;

    private static Task<List<string>> HolderByEmailAsync(WriteSession session, Workspace workspace, string email, CancellationToken ct)
    {
        var key = People.Person.NormalizeEmail(email);
        return session.Db.People.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id && p.EmailNormalized == key).Select(p => p.CioId).Take(2).ToListAsync(ct);
    }

    /// <summary>The batch's problems and the import's progress, in the batch's transaction.</summary>
    private async Task RecordAsync(WriteSession session, List<ImportProblem> problems, CancellationToken ct)
    {
        var outcome = Outcome!;
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                problem.ImportId = ImportId;
                problem.WorkspaceId = session.Context.WorkspaceId;
            }

            session.Db.ImportProblems.AddRange(problems);
            await session.Db.SaveChangesAsync(ct);
            foreach (var problem in problems)
            {
                session.Db.Entry(problem).State = EntityState.Detached;
            }
        }

        var now = session.NowMs;
        await session.Db.Imports.Where(i => i.Id == ImportId).ExecuteUpdateAsync(
            s => s.SetProperty(i => i.RowsCommitted, RowsThrough)
                .SetProperty(i => i.RowsCreated, i => i.RowsCreated + outcome.Created)
                .SetProperty(i => i.RowsUpdated, i => i.RowsUpdated + outcome.Updated)
                .SetProperty(i => i.RowsSkipped, i => i.RowsSkipped + outcome.Skipped)
                .SetProperty(i => i.RowsFailed, i => i.RowsFailed + outcome.Failed)
                .SetProperty(i => i.Warnings, i => i.Warnings + outcome.Warnings)
                .SetProperty(i => i.UpdatedMs, now),
            ct);
    }
}
