using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PeopleAdmin.Core.Exports;

/// <summary>
/// RFC 4180 CSV written as UTF-8 bytes into a pooled buffer that goes to the stream whenever it fills: a million rows
/// of values read as UTF-8 are written without a string or an encoder in between. A field is quoted when it holds a
/// comma, a quote or a line break, its quotes doubled; rows end with a line feed. Bytes that are not valid UTF-8 (text
/// an older version stored with a broken character) are written with U+FFFD in their place, as reading them as text
/// would show them.
/// </summary>
public sealed class Utf8CsvWriter : IDisposable
{
    private static readonly SearchValues<byte> Special = SearchValues.Create(",\"\r\n"u8);
    private readonly Stream _destination;
    private byte[] _buffer;
    private int _length;
    private bool _inRow;

    public Utf8CsvWriter(Stream destination, int bufferSize = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        _destination = destination;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    public void Field(string? text) => Field(text is null ? [] : Encoding.UTF8.GetBytes(text));

    public void Field(ReadOnlySpan<byte> utf8)
    {
        if (_inRow)
        {
            Put((byte)',');
        }

        _inRow = true;
        if (!Utf8.IsValid(utf8))
        {
            utf8 = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8));
        }

        if (utf8.IndexOfAny(Special) < 0)
        {
            Put(utf8);
            return;
        }

        Put((byte)'"');
        int quote;
        while ((quote = utf8.IndexOf((byte)'"')) >= 0)
        {
            Put(utf8[..(quote + 1)]);
            Put((byte)'"');
            utf8 = utf8[(quote + 1)..];
        }

        Put(utf8);
        Put((byte)'"');
    }

    public void EndRow()
    {
        Put((byte)'\n');
        _inRow = false;
    }

    /// <summary>Writes what the buffer holds to the stream and flushes it.</summary>
    public void Flush()
    {
        Drain();
        _destination.Flush();
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Put(byte value)
    {
        if (_length == _buffer.Length)
        {
            Drain();
        }

        _buffer[_length++] = value;
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _length)
        {
            Drain();
            if (bytes.Length > _buffer.Length)
            {
                _destination.Write(bytes);
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Drain()
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        _destination.Write(_buffer, 0, _length);
        _length = 0;
    }
}
