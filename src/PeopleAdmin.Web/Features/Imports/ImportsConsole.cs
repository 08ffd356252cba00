using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.Imports;

/// <summary>A page of the workspace's imports, newest first, and how many there are in all.</summary>
public sealed record ImportsPageOf(IReadOnlyList<Import> Imports, int Total);

/// <summary>A received file's first rows and columns as the engine reads them, or why it cannot be read.</summary>
public sealed record FilePreview(ImportPreview? Preview, string? Error);

/// <summary>
/// What the Imports pages and the import wizard read and do on the current workspace, through the import engine
/// (<see cref="ImportService"/>). Every change checks the operator's role here, on the server: Editors and up import.
/// </summary>
public sealed class ImportsConsole(
    ImportService imports, IDbContextFactory<PeopleAdminDbContext> factory, PeopleService people, ObjectDirectory objects, CurrentWorkspace current, OperatorAccess access)
{
    public const string ImportPolicy = Policies.CanEditPeople;

    public const int PageSize = 25;

    /// <summary>Rows the preview shows, and problems the review lists.</summary>
    public const int PreviewRows = 10;

    private const string NotAllowed = "Only Editors, Admins and the Owner can import.";

    public long MaxFileBytes => imports.Settings.MaxFileBytes;

    public Task<bool> CanImportAsync() => access.AllowsAsync(ImportPolicy);

    /// <summary>
    /// Streams an upload into the engine's folder, never holding it whole. Answers the received file's name, or why it
    /// was refused (nothing is kept then): not allowed, empty, over the limit, not text.
    /// </summary>
    public async Task<(string? Name, string? Error)> ReceiveAsync(Stream content, long size, CancellationToken cancellationToken)
    {
        if (!await CanImportAsync())
        {
            return (null, NotAllowed);
        }

        if (Refusal(size) is { } refused)
        {
            return (null, refused);
        }

        var received = await imports.ReceiveAsync(content, cancellationToken);
        if (received is null)
        {
            return (null, TooLarge(size));
        }

        if (ImportFiles.NotText(received.Path) is { } notText)
        {
            File.Delete(received.Path);
            return (null, $"The file was refused: {notText}.");
        }

        return (ImportService.ReceivedName(received), null);
    }

    /// <summary>Why a file of this size is refused before any of it is sent (empty, or over the limit), or null.</summary>
    public string? Refusal(long size) => size switch
    {
        0 => "The file is empty: its first row must name the columns, and the rows below it hold the people or events.",
        _ when size > MaxFileBytes => TooLarge(size),
        _ => null,
    };

    public bool Exists(string? upload) => imports.FindReceived(upload) is not null;

    /// <summary>Deletes a received file that the operator gave up on.</summary>
    public async Task DiscardAsync(string? upload)
    {
        if (await CanImportAsync() && imports.FindReceived(upload) is { } file)
        {
            File.Delete(file.Path);
        }
    }

    public async Task<FilePreview> PreviewAsync(string? upload, string? encoding, char? delimiter, CancellationToken cancellationToken)
    {
        if (imports.FindReceived(upload) is not { } file)
        {
            return new FilePreview(null, Gone);
        }

        try
        {
            return new FilePreview(await Task.Run(() => ImportService.Preview(file.Path, encoding, delimiter, PreviewRows), cancellationToken), null);
        }
        catch (Exception exception) when (exception is IOException or System.Text.DecoderFallbackException or InvalidOperationException)
        {
            return new FilePreview(null, $"The file cannot be read this way: {exception.Message}");
        }
    }

    /// <summary>Data rows in a received file; it reads the whole file, so the wizard asks for it in the background.</summary>
    public async Task<long?> CountRowsAsync(string? upload, string? encoding, char? delimiter, CancellationToken cancellationToken) =>
        imports.FindReceived(upload) is { } file
            ? await Task.Run(() => ImportFiles.CountRows(file.Path, encoding, delimiter, cancellationToken), cancellationToken)
            : null;

    /// <summary>The attribute names the workspace's people have, to suggest for each column.</summary>
    public async Task<IReadOnlyList<string>> AttributeNamesAsync(CancellationToken cancellationToken) =>
        await people.AttributeNamesAsync(await WorkspaceIdAsync(cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<SegmentSummary>> SegmentsAsync(CancellationToken cancellationToken) =>
        await people.ListSegmentsAsync(await WorkspaceIdAsync(cancellationToken), cancellationToken);

    /// <summary>The workspace's object types, one of which an object or relationship import names.</summary>
    public async Task<IReadOnlyList<ObjectTypeSummary>> ObjectTypesAsync(CancellationToken cancellationToken) =>
        await objects.ListTypesAsync(await WorkspaceIdAsync(cancellationToken), cancellationToken, counts: false);

    /// <summary>What makes the file unusable under these options (the engine's own check of its header and first row), or null.</summary>
    public async Task<ImportOptionsProblem?> CheckAsync(string? upload, ImportOptions options, CancellationToken cancellationToken)
    {
        if (imports.FindReceived(upload) is not { } file)
        {
            return new ImportOptionsProblem("file", Gone);
        }

        var workspaceId = await WorkspaceIdAsync(cancellationToken);
        if (await imports.ObjectTypeProblemAsync(workspaceId, options, "options.object_type_id", cancellationToken) is { } unknownType)
        {
            return unknownType;
        }

        var mode = (await people.GetSettingsAsync(workspaceId, cancellationToken))?.Identifiers ?? default;
        return await Task.Run(
            () =>
            {
                using var source = CsvFileSource.Open(file.Path, CsvDetection.Detect(file.Path, options.Encoding, options.Delimiter));
                if (ImportColumns.TryPlan(source.Columns, options, mode, out _) is { } problem)
                {
                    return problem;
                }

                return source.ReadRows().Any() ? null : new ImportOptionsProblem("file", "the file has a header and no rows");
            },
            cancellationToken);
    }

    /// <summary>
    /// Turns a received file into an import that is checked, not written (a dry run): the review shows what it would
    /// do. Answers the import's id, or why not; the file is kept for another try when the options are at fault.
    /// </summary>
    public async Task<(long? Id, string? Error)> DryRunAsync(string? upload, string fileName, ImportOptions options, CancellationToken cancellationToken)
    {
        if (!await CanImportAsync())
        {
            return (null, NotAllowed);
        }

        options = options with { DryRun = true };
        if (await CheckAsync(upload, options, cancellationToken) is { } problem)
        {
            return (null, Describe(problem));
        }

        var request = new ImportRequest(fileName, options, await access.ActorAsync());
        var created = await imports.CreateAsync(await WorkspaceIdAsync(cancellationToken), imports.FindReceived(upload), request, cancellationToken);
        return created.Import is { } import ? (import.Id, null) : (null, Describe(created.Problem!));
    }

    /// <summary>Runs for real the import a dry run validated; null when it started, otherwise why not.</summary>
    public async Task<string?> StartAsync(long importId, CancellationToken cancellationToken) =>
        await CanImportAsync() ? Sentence(await imports.StartAsync(await WorkspaceIdAsync(cancellationToken), importId, cancellationToken)) : NotAllowed;

    /// <summary>Stops an import after its current batch; the rows committed stay. Null when asked, otherwise why not.</summary>
    public async Task<string?> CancelAsync(long importId, CancellationToken cancellationToken)
    {
        if (!await CanImportAsync())
        {
            return NotAllowed;
        }

        return await imports.CancelAsync(await WorkspaceIdAsync(cancellationToken), importId, cancellationToken) ? null : "The import has ended; there is nothing to cancel.";
    }

    public async Task<Import?> GetAsync(long importId, CancellationToken cancellationToken) =>
        await imports.GetAsync(await WorkspaceIdAsync(cancellationToken), importId, cancellationToken);

    /// <summary>Page <paramref name="page"/> (from 1) of the workspace's imports, newest first.</summary>
    public async Task<ImportsPageOf> ListAsync(int page, CancellationToken cancellationToken)
    {
        var workspaceId = await WorkspaceIdAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var all = db.Imports.AsNoTracking().Where(i => i.WorkspaceId == workspaceId);
        var rows = await all.OrderByDescending(i => i.Id).Skip((Math.Max(page, 1) - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new ImportsPageOf(rows, await all.CountAsync(cancellationToken));
    }

    /// <summary>The first errors or warnings of an import, in row order.</summary>
    public async Task<IReadOnlyList<ImportProblem>> FirstProblemsAsync(long importId, ImportProblemKind kind, CancellationToken cancellationToken)
    {
        var workspaceId = await WorkspaceIdAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.ImportProblems.AsNoTracking().Where(p => p.WorkspaceId == workspaceId && p.ImportId == importId && p.Kind == kind)
            .OrderBy(p => p.Row).ThenBy(p => p.Id).Take(PreviewRows).ToListAsync(cancellationToken);
    }

    /// <summary>Page <paramref name="page"/> (from 1) of the people an import created or updated, in row order; all, or of one outcome.</summary>
    public async Task<ImportedPeoplePage> PeopleAsync(long importId, ImportPersonOutcome? outcome, int page, CancellationToken cancellationToken)
    {
        var workspaceId = await WorkspaceIdAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await ImportedPeople.PageAsync(db, workspaceId, importId, outcome, (Math.Max(page, 1) - 1) * PageSize, PageSize, cancellationToken);
    }

    /// <summary>An engine problem (a field and a clause) as a sentence for the page.</summary>
    public static string Describe(ImportOptionsProblem problem) =>
        Sentence(problem.Field is "file" ? "the file cannot be imported: " + problem.Message : $"{problem.Field}: {problem.Message}")!;

    private const string Gone = "The uploaded file is no longer here (it was imported, or discarded): upload it again.";

    private string TooLarge(long size) =>
        $"The file is {size:N0} bytes, over this server's limit of {MaxFileBytes:N0} bytes (PeopleAdmin__Imports__MaxFileBytes): split it, or ask the server's admin to raise the limit.";

    private static string? Sentence(string? message) =>
        message is null or "" ? message : char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? "" : ".");

    private async Task<int> WorkspaceIdAsync(CancellationToken cancellationToken) => (await current.GetAsync(cancellationToken)).Id;
}
