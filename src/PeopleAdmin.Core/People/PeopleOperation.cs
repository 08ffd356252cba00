using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People;

/// <summary>
/// One write of the people store (identify, delete, merge, ...). Operations carry their input and know how to
/// apply themselves through a <see cref="WriteSession"/>; the single writer applies them one after another, each
/// inside a savepoint, so that a rejected or failing operation leaves nothing behind and its batch-mates apply.
/// </summary>
public abstract record PeopleOperation
{
    internal abstract Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken);
}
