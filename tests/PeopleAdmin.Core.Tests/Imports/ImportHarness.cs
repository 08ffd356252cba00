using System.Text;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>The identity service's harness with the import engine on it; tests run imports in the foreground.</summary>
public sealed class ImportHarness : IAsyncDisposable
{
    private ImportHarness(PeopleHarness people, ImportsOptions settings)
    {
        People = people;
        Service = new ImportService(people.Database.Factory, people.Service, people.Clock, settings, Path.Combine(people.Database.Directory, "imports"));
    }

    public PeopleHarness People { get; }

    public ImportService Service { get; }

    public static async Task<ImportHarness> CreateAsync(CancellationToken ct, int batchRows = 3, Action<WorkspaceSettings>? configure = null, int parallelWorkspaces = 2) =>
        new(await PeopleHarness.CreateAsync(ct, configure), new ImportsOptions { BatchRows = batchRows, MaxFileBytes = 1 << 20, ParallelWorkspaces = parallelWorkspaces });

    /// <summary>Records an import of <paramref name="csv"/> (UTF-8) with the options' JSON; the problem when refused.</summary>
    public Task<ImportCreation> CreateAsync(string csv, string optionsJson, CancellationToken ct) =>
        CreateAsync(Encoding.UTF8.GetBytes(csv), optionsJson, ct);

    public async Task<ImportCreation> CreateAsync(byte[] file, string optionsJson, CancellationToken ct)
    {
        ImportOptionsJson.TryRead(optionsJson, "options.", out var options).ShouldBeNull();
        using var content = new MemoryStream(file);
        return await Service.CreateAsync(People.WorkspaceId, content, new ImportRequest("people.csv", options, "tester@example.com"), ct);
    }

    /// <summary>Records and runs an import to its end; answers it as it ended.</summary>
    public async Task<Import> ImportAsync(string csv, string optionsJson, CancellationToken ct)
    {
        var created = await CreateAsync(csv, optionsJson, ct);
        created.Problem.ShouldBeNull();
        await Service.RunAsync(created.Import!.Id, ct);
        return (await Service.GetAsync(People.WorkspaceId, created.Import.Id, ct))!;
    }

    /// <summary>An import's errors or warnings as "row column value: reason" lines.</summary>
    public async Task<List<string>> ProblemsAsync(long importId, ImportProblemKind kind, CancellationToken ct)
    {
        await using var db = await People.ContextAsync(ct);
        return await db.ImportProblems.AsNoTracking().Where(p => p.ImportId == importId && p.Kind == kind).OrderBy(p => p.Row).ThenBy(p => p.Id)
            .Select(p => p.Row + " " + p.Column + " " + p.Value + ": " + p.Reason).ToListAsync(ct);
    }

    public static string Counts(Import import) =>
        $"{ImportService.StateName(import.State)}: {import.RowsCreated} created, {import.RowsUpdated} updated, {import.RowsSkipped} skipped, {import.RowsFailed} failed, {import.Warnings} warnings, {import.RowsCommitted} of {import.RowsToImport}{(import.Error is null ? "" : " (" + import.Error + ")")}";

    public ValueTask DisposeAsync() => People.DisposeAsync();
}
