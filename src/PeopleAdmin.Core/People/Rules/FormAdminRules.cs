using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// The Forms page's changes to forms. They go through the single writer like submissions, so that a form created here
/// and one registered by a Forms API submission of the same id cannot race: the second finds the first.
/// </summary>
internal static class FormAdminRules
{
    public static async Task<OperationResult> ApplyAsync(CreateFormOperation operation, WriteSession session, CancellationToken ct)
    {
        var formId = string.IsNullOrWhiteSpace(operation.FormId) ? FormRules.Slug(operation.Name) : operation.FormId;
        if ((FormRules.ValidateName(operation.Name) ?? FormRules.ValidateFormId(formId)) is { } invalid)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = invalid };
        }

        var workspaceId = session.Context.WorkspaceId;
        if (await session.Store.FindFormAsync(workspaceId, formId, ct) is not null)
        {
            return OperationResult.Rejected(ErrorKind.Conflict, "form_id", $"a form with the id \"{formId}\" already exists in this workspace");
        }

        if (await session.Store.CountFormsAsync(workspaceId, ct) >= FormRules.MaxFormsPerWorkspace)
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "form_id", $"the workspace holds {FormRules.MaxFormsPerWorkspace:N0} forms, the limit; delete one first");
        }

        var form = await session.Store.AddFormAsync(new Form { WorkspaceId = workspaceId, FormId = formId, Name = operation.Name.Trim(), CreatedMs = session.NowMs }, ct);
        return new OperationResult(OperationStatus.Applied) { RecordId = form.Id };
    }

    public static async Task<OperationResult> ApplyAsync(ChangeFormOperation operation, WriteSession session, CancellationToken ct)
    {
        var change = operation.Change;
        if ((FormRules.ValidateName(change.Name) ?? FormRules.ValidateSuccessUrl(change.SuccessUrl)) is { } invalid)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = invalid };
        }

        var workspace = await session.FindWorkspaceAsync(ct);
        var form = workspace is null ? null : await session.Store.FindFormAsync(workspace.Id, operation.FormRowId, ct);
        if (form is null)
        {
            return NotFound();
        }

        foreach (var mapping in change.Fields)
        {
            if (form.Fields.FirstOrDefault(f => f.Name == mapping.Name) is { } field)
            {
                field.Role = mapping.Role;
                field.AttributeName = mapping.Role == FormFieldRole.Attribute && !string.IsNullOrWhiteSpace(mapping.AttributeName) && mapping.AttributeName.Trim() != mapping.Name
                    ? mapping.AttributeName.Trim()
                    : null;
            }
        }

        // A rejected operation is rolled back to its savepoint, so the fields changed above are not kept.
        if (FormRules.ValidateMapping(form.Fields, workspace!.Settings.Identifiers) is { } badMapping)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = badMapping };
        }

        form.Name = change.Name.Trim();
        form.Enabled = change.Enabled;
        form.SuccessUrl = string.IsNullOrWhiteSpace(change.SuccessUrl) ? null : change.SuccessUrl.Trim();
        return new OperationResult(OperationStatus.Applied) { RecordId = form.Id };
    }

    public static async Task<OperationResult> ApplyAsync(DeleteFormOperation operation, WriteSession session, CancellationToken ct)
    {
        var form = await session.Store.FindFormAsync(session.Context.WorkspaceId, operation.FormRowId, ct);
        if (form is null)
        {
            return NotFound();
        }

        session.Store.RemoveForm(form);
        return new OperationResult(OperationStatus.Applied) { RecordId = form.Id };
    }

    private static OperationResult NotFound() => OperationResult.Rejected(ErrorKind.NotFound, "form", "the form no longer exists");
}
