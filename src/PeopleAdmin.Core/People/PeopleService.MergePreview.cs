namespace PeopleAdmin.Core.People;

public sealed partial class PeopleService
{
    /// <summary>What merging <paramref name="secondary"/> into <paramref name="primary"/> would do, without writing.</summary>
    public Task<MergePreview> PreviewMergeAsync(int workspaceId, PersonReference primary, PersonReference secondary, CancellationToken cancellationToken) =>
        Task.FromResult(new MergePreview { Error = new RequestError(ErrorKind.Unsupported, "", "merge preview comes with issue 5") });
}
