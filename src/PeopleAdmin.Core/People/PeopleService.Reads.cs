using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People;

public sealed partial class PeopleService
{
    /// <summary>A live person by reference; null when nobody holds it.</summary>
    public Task<PersonDetails?> GetPersonAsync(int workspaceId, PersonReference reference, CancellationToken cancellationToken) =>
        Task.FromResult<PersonDetails?>(null);

    /// <summary>People whose email matches case-insensitively (in <c>id_only</c>, the email attribute, which several may share).</summary>
    public Task<IReadOnlyList<PersonSummary>> FindPeopleByEmailAsync(int workspaceId, string email, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PersonSummary>>([]);

    public Task<ActivityPage> GetActivityAsync(ActivityQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(new ActivityPage([], null));

    /// <summary>A copy of the workspace's settings; null when there is no such workspace.</summary>
    public Task<WorkspaceSettings?> GetSettingsAsync(int workspaceId, CancellationToken cancellationToken) =>
        Task.FromResult<WorkspaceSettings?>(null);

    public Task<IReadOnlyList<SegmentSummary>> ListSegmentsAsync(int workspaceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SegmentSummary>>([]);

    /// <summary>The manual segments a person belongs to; null when nobody holds the reference.</summary>
    public Task<IReadOnlyList<SegmentSummary>?> GetPersonSegmentsAsync(int workspaceId, PersonReference reference, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SegmentSummary>?>(null);

    /// <summary>The merges a person took part in (as primary or secondary), newest first; the workspace's when <paramref name="cioId"/> is null.</summary>
    public Task<IReadOnlyList<MergeSummary>> ListMergesAsync(int workspaceId, string? cioId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MergeSummary>>([]);

    public Task<IReadOnlyList<SuppressionEntry>> ListSuppressionsAsync(int workspaceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SuppressionEntry>>([]);

    /// <summary>What merging <paramref name="secondary"/> into <paramref name="primary"/> would do, without writing.</summary>
    public Task<MergePreview> PreviewMergeAsync(int workspaceId, PersonReference primary, PersonReference secondary, CancellationToken cancellationToken) =>
        Task.FromResult(new MergePreview());
}
