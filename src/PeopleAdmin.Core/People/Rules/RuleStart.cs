using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>The opening every rule shares: the checks that need no database, then the operation's workspace.</summary>
internal readonly record struct RuleStart(Workspace? Workspace, OperationResult? Stop)
{
    public static async Task<RuleStart> OpenAsync(PeopleOperation operation, WriteSession session, CancellationToken ct)
    {
        if (OperationValidator.Validate(operation) is { } invalid)
        {
            return new RuleStart(null, new OperationResult(OperationStatus.Rejected) { Error = invalid });
        }

        var workspace = await session.FindWorkspaceAsync(ct);
        return workspace is null ? new RuleStart(null, IdentifyRules.NoWorkspace(session)) : new RuleStart(workspace, null);
    }
}
