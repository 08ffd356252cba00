using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People;

/// <summary>
/// One write of the people store (identify, delete, merge, ...). Operations carry their input and know how to
/// apply themselves through a <see cref="WriteSession"/>; the single writer applies them one after another in batched
/// transactions, so that a rejected or failing operation leaves nothing behind and its batch-mates apply.
/// </summary>
public abstract record PeopleOperation
{
    internal abstract Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Does the work that needs no database (checking and taking the input apart) once, on the caller's thread, so
    /// that the single writer, which every operation waits for, does not.
    /// </summary>
    internal virtual void Prepare()
    {
    }
}
