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

    /// <summary>
    /// True for an operation whose every row refers only to rows it reads or writes in its own transaction, and that
    /// deletes no row another refers to: an import's batch of people. The single writer then runs it in a transaction of
    /// its own with the database's foreign-key checks off where the store allows it, since every row it checks was read
    /// in that transaction, which no other writer can change under it. On SQLite the checks were 7% of a million-person
    /// import: each attribute and entry of a new person looked its person up again (docs/performance.md, #21).
    /// </summary>
    internal virtual bool KeepsItsOwnReferences => false;

    /// <summary>About how much memory the operation's input holds, for the writer's bound on what it holds at once.</summary>
    internal virtual long EstimatedBytes => BaseBytes;

    private protected const long BaseBytes = 256;

    private protected static long BytesOf(IReadOnlyDictionary<string, AttributeValue>? attributes)
    {
        var bytes = 0L;
        foreach (var (name, value) in attributes ?? new Dictionary<string, AttributeValue>())
        {
            bytes += 2L * (name.Length + (value.Text?.Length ?? 0));
        }

        return bytes;
    }

    private protected static long BytesOf(EventInput input) => input.Data is { } data ? 2L * data.GetRawText().Length : 0;
}
