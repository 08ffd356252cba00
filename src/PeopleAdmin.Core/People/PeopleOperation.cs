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
