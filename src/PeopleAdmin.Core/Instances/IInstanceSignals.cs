using System.Collections.Concurrent;

namespace PeopleAdmin.Core.Instances;

/// <summary>
/// Tells every app instance of a deployment (this one included) that something they may keep in memory changed, so
/// that a cache is told at once rather than trusted until it ages. SQLite has one instance, so its signals stay in
/// process; PostgreSQL's go through <c>LISTEN</c>/<c>NOTIFY</c>.
/// </summary>
public interface IInstanceSignals
{
    /// <summary>Says, after the change committed, that <paramref name="key"/> of <paramref name="topic"/> changed.</summary>
    Task SendAsync(string topic, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="handler"/> on every signal of <paramref name="topic"/>, with its key, or with null when
    /// signals may have been missed (the listener lost its connection): then everything of the topic is stale.
    /// </summary>
    void Subscribe(string topic, Action<string?> handler);
}

/// <summary>The topics that caches listen to.</summary>
public static class InstanceTopics
{
    /// <summary>A workspace's credentials, settings or existence (key: its id).</summary>
    public const string Workspaces = "workspaces";

    /// <summary>A workspace's rules (key: its id).</summary>
    public const string Rules = "rules";
}

/// <summary>The signals of one instance: handlers run before <see cref="SendAsync"/> returns.</summary>
public class InProcessSignals : IInstanceSignals
{
    private readonly ConcurrentDictionary<string, ImmutableHandlers> _handlers = new(StringComparer.Ordinal);

    public virtual Task SendAsync(string topic, string key, CancellationToken cancellationToken)
    {
        Deliver(topic, key);
        return Task.CompletedTask;
    }

    public void Subscribe(string topic, Action<string?> handler) =>
        _handlers.AddOrUpdate(topic, _ => new([handler]), (_, existing) => new([.. existing.List, handler]));

    /// <summary>Runs the handlers of a topic, or of every topic when <paramref name="topic"/> is null.</summary>
    protected void Deliver(string? topic, string? key)
    {
        foreach (var (name, handlers) in _handlers)
        {
            if (topic is null || string.Equals(name, topic, StringComparison.Ordinal))
            {
                foreach (var handler in handlers.List)
                {
                    handler(key);
                }
            }
        }
    }

    private sealed record ImmutableHandlers(Action<string?>[] List);
}
