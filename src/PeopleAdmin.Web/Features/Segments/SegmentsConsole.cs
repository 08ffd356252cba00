using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.Segments;

/// <summary>What adding members by identifier did: how many people it found, and the identifiers nobody holds.</summary>
public sealed record MembersAdded(int Found, IReadOnlyList<string> NotFound);

/// <summary>
/// What the Segments pages read and change on the current workspace. Every change goes through the identity service
/// with source <c>ui</c> and the operator as actor, after the role check here, on the server.
/// </summary>
public sealed class SegmentsConsole(PeopleService people, CurrentWorkspace current, OperatorAccess access)
{
    public const string EditPolicy = Policies.CanEditPeople;

    /// <summary>As many identifiers as the Track API's add_customers takes at once.</summary>
    public const int MaxIdentifiers = 1000;

    public const int PageSize = 50;

    public const int MaxDescriptionLength = Limits.SegmentDescriptionCharacters;

    private const string NotAllowed = "Only Editors, Admins and the Owner can change segments.";

    public Task<bool> CanEditAsync() => access.AllowsAsync(EditPolicy);

    public async Task<IReadOnlyList<SegmentSummary>> ListAsync(CancellationToken cancellationToken) =>
        await people.ListSegmentsAsync(await WorkspaceIdAsync(cancellationToken), cancellationToken);

    public async Task<SegmentSummary?> GetAsync(int segmentId, CancellationToken cancellationToken) =>
        await people.GetSegmentAsync(await WorkspaceIdAsync(cancellationToken), segmentId, cancellationToken);

    /// <summary>Page <paramref name="page"/> (from 1) of the members that <paramref name="search"/> matches.</summary>
    public async Task<SegmentMembersPage> MembersAsync(int segmentId, string? search, int page, CancellationToken cancellationToken)
    {
        var query = new SegmentMembersQuery(await WorkspaceIdAsync(cancellationToken), segmentId, search, (Math.Max(page, 1) - 1) * PageSize, PageSize);
        return await people.ListSegmentMembersAsync(query, cancellationToken);
    }

    public async Task<(int? Id, RequestError? Error)> CreateAsync(string name, string? description, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(new CreateSegmentOperation(name, Describe(description)), cancellationToken);
        return result.Error is { } error ? (null, error) : ((int?)result.RecordId, null);
    }

    public async Task<RequestError?> UpdateAsync(int segmentId, string name, string? description, CancellationToken cancellationToken) =>
        (await ExecuteAsync(new RenameSegmentOperation(segmentId, name, Describe(description)), cancellationToken)).Error;

    public async Task<RequestError?> DeleteAsync(int segmentId, CancellationToken cancellationToken) =>
        (await ExecuteAsync(new DeleteSegmentOperation(segmentId), cancellationToken)).Error;

    /// <summary>
    /// Adds the people that the identifiers name, one per line or separated by commas: <c>cio_…</c> is a cio_id; in
    /// <c>email_or_id</c> a value with <c>@</c> is an email; anything else is an id.
    /// </summary>
    public async Task<(MembersAdded? Added, RequestError? Error)> AddMembersAsync(int segmentId, string? identifiers, CancellationToken cancellationToken)
    {
        var values = (identifiers ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToList();
        if (values.Count is 0 or > MaxIdentifiers)
        {
            return (null, new RequestError(ErrorKind.Invalid, "identifiers",
                $"Enter between 1 and {MaxIdentifiers:N0} identifiers, one per line; there were {values.Count:N0}."));
        }

        var workspace = await current.GetAsync(cancellationToken);
        var mode = (await people.GetSettingsAsync(workspace.Id, cancellationToken))?.Identifiers ?? default;
        var result = await ExecuteAsync(new AddToSegmentOperation(segmentId, [.. values.Select(v => PersonReference.Classify(v, mode))]), cancellationToken);
        return result.Error is { } error ? (null, error) : (new MembersAdded(values.Count - result.NotFound.Count, result.NotFound), null);
    }

    /// <summary>Removes the members named by their cio_ids; people no longer there are passed over.</summary>
    public async Task<RequestError?> RemoveMembersAsync(int segmentId, IReadOnlyCollection<string> cioIds, CancellationToken cancellationToken) =>
        (await ExecuteAsync(new RemoveFromSegmentOperation(segmentId, [.. cioIds.Select(PersonReference.ForCioId)]), cancellationToken)).Error;

    private static string? Describe(string? description) => string.IsNullOrWhiteSpace(description) ? null : description.Trim();

    private async Task<int> WorkspaceIdAsync(CancellationToken cancellationToken) => (await current.GetAsync(cancellationToken)).Id;

    private async Task<OperationResult> ExecuteAsync(PeopleOperation operation, CancellationToken cancellationToken)
    {
        if (!await CanEditAsync())
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "operator", NotAllowed);
        }

        var context = new OperationContext(await WorkspaceIdAsync(cancellationToken), Sources.Ui, await access.ActorAsync());
        return await people.ExecuteAsync(context, operation, cancellationToken);
    }
}
