using System.Text.Json;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>One class of odd but accepted input: a person's identify body, an event's data and time, a device's last use.</summary>
public sealed record OddInput(string Class, string Id, string IdentifyJson, string EventDataJson, long? EventTimestamp, long? DeviceLastUsed)
{
    public override string ToString() => Class;

    public Dictionary<string, AttributeValue> Attributes()
    {
        using var document = JsonDocument.Parse(IdentifyJson);
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name, p => AttributeValue.TryFromJson(p.Value, out var value) ? value : throw new InvalidOperationException(p.Name), StringComparer.Ordinal);
    }

    public JsonElement EventData()
    {
        using var document = JsonDocument.Parse(EventDataJson);
        return document.RootElement.Clone();
    }
}

/// <summary>The classes of odd but accepted input that every reader (App API, profile page) must show back.</summary>
public static class OddInputs
{
    public static readonly OddInput[] All =
    [
        new("unicode text", "ünï-çødé-😀", """{"email":"Ünï@Example.COM","name":"名前 😀 שלום","combining":"e\u0301","zwj":"👩‍👩‍👧"}""", """{"emoji":"😀","rtl":"שלום"}""", null, null),
        new("markup", "markup-1", """{"bio":"<script>alert(1)</script>","html":"<b>&amp;</b>"}""", """{"<img src=x onerror=alert(1)>":"x","t":"</code>"}""", null, null),
        new("numbers", "numbers-1", """{"big":1e308,"neg":-0,"tiny":5e-324,"int":9007199254740993,"yes":true}""", """{"n":[1,2.5,-3e10],"f":false,"z":null}""", null, null),
        new("values at their limits", "limits-1", $$"""{"{{new string('n', 150)}}":"{{new string('v', 1000)}}","email":"{{new string('e', 980)}}@example.com"}""", "{}", null, null),
        new("times at the edges", "times-1", """{"created_at":"9223372036854775807","_timestamp":0}""", "{}", 0, 253_402_300_799),
        new("a created_at before year 1", "times-2", """{"created_at":-62135596801}""", "{}", 253_402_300_799, 0),
        new("odd names", "names-1", """{"a.b":"1","$set":"2"," lead":"3","trail ":"4","UPPER":"5","upper":"6"}""", """{"":"empty key","a.b":{"c":[{}]},"  ":[]}""", null, null),
        new("deep data", "deep-1", "{}", "{\"deep\":" + new string('[', 29) + "\"bottom\"" + new string(']', 29) + "}", null, null),
        new("identifier characters", "a+b/c d?e#f%g", """{"email":"a+tag@example.com"}""", "{}", null, null),
    ];

    public static TheoryData<string> Classes() => [.. All.Select(i => i.Class)];

    public static OddInput Of(string name) => All.Single(i => i.Class == name);
}
