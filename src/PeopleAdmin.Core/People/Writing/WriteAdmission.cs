namespace PeopleAdmin.Core.People.Writing;

/// <summary>
/// Bounds the input held for the writer (queued or being applied) by its size, not by its number of submissions: a
/// few thousand submissions of a mebibyte each would otherwise hold gigabytes. Callers enter one at a time, in order,
/// and wait while their input would take the total over the capacity; a submission larger than the capacity enters
/// alone, once nothing else is held.
/// </summary>
internal sealed class WriteAdmission(long capacityBytes) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly SemaphoreSlim _freed = new(0, 1);
    private long _held;

    public long HeldBytes => Interlocked.Read(ref _held);

    public async Task EnterAsync(long bytes, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            while (HeldBytes > 0 && HeldBytes + bytes > capacityBytes)
            {
                await _freed.WaitAsync(cancellationToken);
            }

            Interlocked.Add(ref _held, bytes);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Leave(long bytes)
    {
        Interlocked.Add(ref _held, -bytes);
        try
        {
            _freed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A waiter has a wake-up pending already; it looks at the total again when it runs.
        }
    }

    public void Dispose()
    {
        _turn.Dispose();
        _freed.Dispose();
    }
}
