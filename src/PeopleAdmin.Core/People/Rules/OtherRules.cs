using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People.Rules;

internal static class LifecycleRules
{
    public static Task<OperationResult> ApplyAsync(PeopleOperation operation, WriteSession session, CancellationToken cancellationToken) => Pending();

    internal static Task<OperationResult> Pending() =>
        Task.FromResult(OperationResult.Rejected(ErrorKind.Unsupported, "", "Not available in this build."));
}

internal static class EventRules
{
    public static Task<OperationResult> ApplyAsync(PeopleOperation operation, WriteSession session, CancellationToken cancellationToken) => LifecycleRules.Pending();
}

internal static class DeviceRules
{
    public static Task<OperationResult> ApplyAsync(PeopleOperation operation, WriteSession session, CancellationToken cancellationToken) => LifecycleRules.Pending();
}

internal static class MergeRules
{
    public static Task<OperationResult> ApplyAsync(PeopleOperation operation, WriteSession session, CancellationToken cancellationToken) => LifecycleRules.Pending();
}

internal static class SegmentRules
{
    public static Task<OperationResult> ApplyAsync(PeopleOperation operation, WriteSession session, CancellationToken cancellationToken) => LifecycleRules.Pending();
}
