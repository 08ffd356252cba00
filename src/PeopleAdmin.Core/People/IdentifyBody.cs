using System.Globalization;

namespace PeopleAdmin.Core.People;

/// <summary>An identify body taken apart: identifiers (with "clear" as a null value), reserved keys, custom attributes.</summary>
internal sealed class IdentifyBody
{
    public bool HasId { get; private set; }

    /// <summary>Null with <see cref="HasId"/>: clear the id.</summary>
    public string? Id { get; private set; }

    public bool HasEmail { get; private set; }

    public string? Email { get; private set; }

    /// <summary>A body cio_id (prefix removed): the request references that person (rule 1).</summary>
    public string? CioId { get; private set; }

    public long? CreatedAt { get; private set; }

    /// <summary>Unix seconds of the client's write.</summary>
    public long? Timestamp { get; private set; }

    public bool Update { get; private set; }

    public bool? Unsubscribed { get; private set; }

    public string? AnonymousId { get; private set; }

    /// <summary>Custom attributes and <c>anonymous_id</c>, which is kept as an attribute.</summary>
    public Dictionary<string, AttributeValue> Attributes { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>About how much memory the body's names and values hold (UTF-16).</summary>
    public long Bytes { get; private set; }

    /// <summary>Takes a body apart; answers what is wrong with it (a limit, a type), or null.</summary>
    public static RequestError? Parse(IReadOnlyDictionary<string, AttributeValue> body, out IdentifyBody parsed)
    {
        // Sized once for the body's names: an import parses one body per row.
        parsed = new IdentifyBody { Attributes = new Dictionary<string, AttributeValue>(body.Count, StringComparer.Ordinal) };
        var custom = 0;
        foreach (var (name, value) in body)
        {
            if (OperationValidator.AttributeError(name, value) is { } error)
            {
                return error;
            }

            if (value.Type == AttributeType.Json && name is not ReservedKeys.Relationships && ReservedKeys.IsReserved(name))
            {
                return OperationValidator.Invalid(name, $"{name} cannot be a JSON array or object; only custom attributes can");
            }

            parsed.Bytes += 2L * (name.Length + (value.Text?.Length ?? 0));

            switch (name)
            {
                case ReservedKeys.Id:
                    if (value.Type == AttributeType.Boolean)
                    {
                        return OperationValidator.Invalid(name, "id must be a string or a number");
                    }

                    parsed.HasId = true;
                    parsed.Id = value.Text;
                    if (value.Text is not null && OperationValidator.Bytes(value.Text) > Limits.IdBytes)
                    {
                        return OperationValidator.Invalid(name, $"id is {OperationValidator.Bytes(value.Text)} bytes; the limit is {Limits.IdBytes} bytes");
                    }

                    break;
                case ReservedKeys.Email:
                    if (value.Type is AttributeType.Boolean or AttributeType.Number)
                    {
                        return OperationValidator.Invalid(name, "email must be a string");
                    }

                    parsed.HasEmail = true;
                    parsed.Email = value.Text;
                    break;
                case ReservedKeys.CioId:
                    if (!value.IsRemoval)
                    {
                        parsed.CioId = PersonReference.StripCioPrefix(value.Text!);
                    }

                    break;
                case ReservedKeys.CreatedAt:
                    if (!value.IsRemoval)
                    {
                        if (!TryUnixSeconds(value, out var createdAt))
                        {
                            return OperationValidator.Invalid(name, $"created_at must be unix seconds (a whole number); it is \"{value.Text}\"");
                        }

                        parsed.CreatedAt = createdAt;
                    }

                    break;
                case ReservedKeys.Timestamp:
                    if (!value.IsRemoval)
                    {
                        if (!TryUnixSeconds(value, out var timestamp))
                        {
                            return OperationValidator.Invalid(name, $"_timestamp must be unix seconds (a whole number); it is \"{value.Text}\"");
                        }

                        if (timestamp < 0)
                        {
                            return OperationValidator.Invalid(name, $"_timestamp is {timestamp}, before 1970; it must be unix seconds of the write");
                        }

                        parsed.Timestamp = timestamp;
                    }

                    break;
                case ReservedKeys.Update:
                    parsed.Update = value.Type == AttributeType.Boolean ? value.Text == "true"
                        : string.Equals(value.Text, "true", StringComparison.OrdinalIgnoreCase);
                    break;
                case ReservedKeys.Unsubscribed:
                    parsed.Unsubscribed = value.Text is { } text
                        && (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) || text == "1");
                    break;
                case ReservedKeys.AnonymousId:
                    parsed.AnonymousId = value.Text;
                    parsed.Attributes[name] = value;
                    break;
                case ReservedKeys.Relationships:
                    break;
                default:
                    custom++;
                    parsed.Attributes[name] = value;
                    break;
            }
        }

        return custom > Limits.CustomAttributes
            ? OperationValidator.Invalid("attributes", $"the request has {custom} custom attributes; the limit is {Limits.CustomAttributes} per request")
            : null;
    }

    /// <summary>
    /// Rule 4: a <c>_timestamp</c> more than a day ahead of the server's clock is refused, so that no client's clock
    /// can freeze an attribute (a later write with a true time would be skipped as older).
    /// </summary>
    public RequestError? CheckClock(long nowMs)
    {
        const long MaxAheadSeconds = 24 * 60 * 60;
        return Timestamp is { } seconds && seconds > (nowMs / 1000) + MaxAheadSeconds
            ? OperationValidator.Invalid(ReservedKeys.Timestamp, $"_timestamp {seconds} is more than 24 hours ahead of the server's clock ({nowMs / 1000}); send the write's own time in unix seconds")
            : null;
    }

    /// <summary>A whole number of seconds: any 64-bit integer as sent (a JSON number keeps its text), or a number like 1.7e9.</summary>
    private static bool TryUnixSeconds(AttributeValue value, out long seconds)
    {
        if (long.TryParse(value.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out seconds))
        {
            return true;
        }

        if (value.Number is { } number && number == Math.Floor(number) && Math.Abs(number) < 1e15)
        {
            seconds = (long)number;
            return true;
        }

        return false;
    }
}
