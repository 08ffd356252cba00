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
