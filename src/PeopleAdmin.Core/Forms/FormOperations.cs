using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.Forms;

/// <summary>
/// A form submission (source <c>form</c>): the Forms API's (<paramref name="Public"/> false: Track credentials; an
/// unknown form id registers the form) or the hosted action's (<paramref name="Public"/> true: a public source; only
/// forms that exist). Fields are the submitted strings, in order, names possibly repeated.
/// </summary>
public sealed record SubmitFormOperation(string FormId, IReadOnlyList<KeyValuePair<string, string>> Fields, bool Public) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        People.Rules.SubmitFormRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Creates a form (the Forms page's New form); answers its row id in <see cref="OperationResult.RecordId"/>.</summary>
public sealed record CreateFormOperation(string Name, string? FormId) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        People.Rules.FormAdminRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Renames a form, turns it on or off, sets its success URL and maps its fields; refused whole when anything is wrong.</summary>
public sealed record ChangeFormOperation(long FormRowId, FormChange Change) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        People.Rules.FormAdminRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Deletes a form and its mapping; the people it added stay.</summary>
public sealed record DeleteFormOperation(long FormRowId) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        People.Rules.FormAdminRules.ApplyAsync(this, session, cancellationToken);
}
