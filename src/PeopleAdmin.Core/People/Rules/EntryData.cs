using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// The data of an activity entry that names what happened to each of a person's fields, <c>{"plan":{"from":"free","to":"pro"},…}</c>:
/// one object per name with the same two properties, in the order the names came, a name given again keeping its place
/// and taking the new values. Written straight to JSON, as <c>JsonObject.ToJsonString()</c> writes the same object (the
/// default encoder), without a node per name: an import writes one of these for each of its rows.
/// </summary>
internal sealed class EntryData(string first, string second, int capacity = 0)
{
    /// <summary>Past this many names, a name given again is found by a dictionary rather than by looking along the list.</summary>
    private const int IndexFrom = 16;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_output;

    private readonly List<(string Name, string? First, string? Second)> _items = new(capacity);
    private Dictionary<string, int>? _index;

    public int Count => _items.Count;

    public void Set(string name, string? firstValue, string? secondValue)
    {
        if (IndexOf(name) is var at and >= 0)
        {
            _items[at] = (name, firstValue, secondValue);
            return;
        }

        _items.Add((name, firstValue, secondValue));
        if (_index is not null)
        {
            _index[name] = _items.Count - 1;
        }
        else if (_items.Count > IndexFrom)
        {
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < _items.Count; i++)
            {
                _index[_items[i].Name] = i;
            }
        }
    }

    public void Clear()
    {
        _items.Clear();
        _index = null;
    }

    public string ToJsonString()
    {
        var (buffer, writer) = t_output ??= NewOutput();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var (name, firstValue, secondValue) in _items)
        {
            writer.WriteStartObject(name);
            writer.WriteString(first, firstValue);
            writer.WriteString(second, secondValue);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private int IndexOf(string name)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(name, out var at) ? at : -1;
        }

        for (var i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewOutput()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer));
    }
}
