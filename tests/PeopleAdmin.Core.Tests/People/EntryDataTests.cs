using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Rules;

namespace PeopleAdmin.Core.Tests.People;

public sealed class EntryDataTests
{
    [Theory]
    [InlineData("plain", "free", "pro")]
    [InlineData("first_name", null, "Chloé")]
    [InlineData("quote\"d", "a\\b", "line\nbreak\ttab")]
    [InlineData("<script>", "&amp;", "'single' +plus")]
    [InlineData("emoji", "😀", "\u0001\u001f")]
    [InlineData("日本", "", null)]
    public void AnEntryIsWrittenAsJsonObjectWritesTheSameChanges(string name, string? from, string? to)
    {
        // Arrange
        var data = new EntryData("from", "to");
        var expected = new JsonObject();

        // Act
        data.Set("id", null, "user-1");
        data.Set(name, from, to);
        expected["id"] = new JsonObject { ["from"] = null, ["to"] = "user-1" };
        expected[name] = new JsonObject { ["from"] = from, ["to"] = to };

        // Assert
        data.ToJsonString().ShouldBe(expected.ToJsonString());
    }

    [Fact]
    public void ANameGivenAgainKeepsItsPlaceAndTakesTheNewValues()
    {
        // Arrange
        var data = new EntryData("reason", "value");

        // Act
        data.Set("email", "blocked", "a@x.com");
        data.Set("id", "taken", "u1");
        data.Set("email", "taken", "b@x.com");

        // Assert
        data.Count.ShouldBe(2);
        data.ToJsonString().ShouldBe("""{"email":{"reason":"taken","value":"b@x.com"},"id":{"reason":"taken","value":"u1"}}""");
    }

    [Fact]
    public void ManyNamesGivenAgainStillKeepTheirPlaces()
    {
        // Arrange: more names than a look along the list serves, each given twice
        var data = new EntryData("from", "to");
        var expected = new JsonObject();
        var names = Enumerable.Range(0, 40).Select(i => $"attribute_{i}").ToList();

        // Act
        foreach (var round in new[] { "1", "2" })
        {
            foreach (var name in names)
            {
                data.Set(name, round, name + round);
                expected[name] = new JsonObject { ["from"] = round, ["to"] = name + round };
            }
        }

        // Assert
        data.Count.ShouldBe(40);
        data.ToJsonString().ShouldBe(expected.ToJsonString());
    }

    [Fact]
    public void ClearedDataStartsAgainEmpty()
    {
        // Arrange
        var data = new EntryData("from", "to");
        data.Set("plan", "free", "pro");

        // Act
        data.Clear();
        data.Set("age", null, "30");

        // Assert
        data.ToJsonString().ShouldBe("""{"age":{"from":null,"to":"30"}}""");
    }
}
