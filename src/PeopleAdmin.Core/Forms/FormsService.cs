using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Forms;

public sealed record FormSummary(long Id, string FormId, string Name, bool Enabled, long Submissions, DateTimeOffset? LastSubmission, int FieldCount);

public sealed record FormFieldDetails(string Name, FormFieldRole Role, string? AttributeName, DateTimeOffset FirstSeen);

public sealed record FormDetails(long Id, string FormId, string Name, bool Enabled, string? SuccessUrl, long Submissions, DateTimeOffset? LastSubmission, IReadOnlyList<FormFieldDetails> Fields);

/// <summary>A field's mapping as the Forms page edits it.</summary>
public sealed record FormFieldMapping(string Name, FormFieldRole Role, string? AttributeName);

/// <summary>What the Forms page changes on a form; fields not listed keep their mapping.</summary>
public sealed record FormChange(string Name, bool Enabled, string? SuccessUrl, IReadOnlyList<FormFieldMapping> Fields);

/// <summary>
/// The Forms page's reads (a context of their own) and edits (operations of the identity service's single writer,
/// which also registers forms from submissions). Uniqueness of a form id is the database's index.
/// </summary>
public sealed class FormsService(IDbContextFactory<PeopleAdminDbContext> factory, PeopleService people)
{
    public async Task<IReadOnlyList<FormSummary>> ListAsync(int workspaceId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Forms.AsNoTracking()
            .Where(f => f.WorkspaceId == workspaceId)
            .OrderBy(f => f.Name).ThenBy(f => f.Id)
            .Select(f => new { f.Id, f.FormId, f.Name, f.Enabled, f.Submissions, f.LastSubmissionMs, Fields = f.Fields.Count })
            .ToListAsync(ct);
        return [.. rows.Select(f => new FormSummary(f.Id, f.FormId, f.Name, f.Enabled, f.Submissions, Time(f.LastSubmissionMs), f.Fields))];
    }

    public async Task<FormDetails?> GetAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return Details(await db.Forms.AsNoTracking().Include(f => f.Fields).FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.Id == id, ct));
    }

    /// <summary>The form as the hosted action needs it (enabled, success URL), by the id submissions name it with.</summary>
    public async Task<FormDetails?> FindByFormIdAsync(int workspaceId, string formId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return Details(await db.Forms.AsNoTracking().Include(f => f.Fields).FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.FormId == formId, ct));
    }

    /// <summary>Creates a form with its name and id (made from the name when not given); answers its row id.</summary>
    public async Task<(long? Id, RequestError? Error)> CreateAsync(OperationContext context, string name, string? formId, CancellationToken ct)
    {
        var result = await people.ExecuteAsync(context, new CreateFormOperation(name, formId), ct);
        return (result.RecordId, result.Error);
    }

    /// <summary>Renames, turns on or off, sets the success URL and maps fields; refused whole when anything is wrong.</summary>
    public async Task<RequestError?> UpdateAsync(OperationContext context, long id, FormChange change, CancellationToken ct) =>
        (await people.ExecuteAsync(context, new ChangeFormOperation(id, change), ct)).Error;

    /// <summary>Deletes a form and its mapping; people it added stay.</summary>
    public async Task<RequestError?> DeleteAsync(OperationContext context, long id, CancellationToken ct) =>
        (await people.ExecuteAsync(context, new DeleteFormOperation(id), ct)).Error;

    private static FormDetails? Details(Form? form) => form is null ? null : new FormDetails(
        form.Id,
        form.FormId,
        form.Name,
        form.Enabled,
        form.SuccessUrl,
        form.Submissions,
        Time(form.LastSubmissionMs),
        [.. form.Fields.OrderBy(f => f.Id).Select(f => new FormFieldDetails(f.Name, f.Role, f.AttributeName, DateTimeOffset.FromUnixTimeMilliseconds(f.FirstSeenMs)))]);

    private static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
