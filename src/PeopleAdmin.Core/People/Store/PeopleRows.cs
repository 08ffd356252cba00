namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// The people a filter matches, in key order, a row at a time: column 0 is the cio_id, 1 the id, 2 the email, then one
/// per attribute asked for, each as UTF-8 bytes (empty where the person has none). Nothing is turned into a string, so
/// an export of a million people holds one row at a time and allocates nothing per value.
/// </summary>
public abstract class PeopleRows : IAsyncDisposable
{
    public abstract int ColumnCount { get; }

    /// <summary>Steps to the next person; false after the last.</summary>
    public abstract bool Read();

    /// <summary>Column <paramref name="column"/> of the current row, valid until the next <see cref="Read"/>.</summary>
    public abstract ReadOnlySpan<byte> Utf8(int column);

    public abstract ValueTask DisposeAsync();
}
