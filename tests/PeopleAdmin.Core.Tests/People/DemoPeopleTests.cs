using System.Globalization;
using PeopleAdmin.Core.People.Demo;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>The demo generator's rows without a store: repeatable per seed and spread as the demo's filters expect.</summary>
public sealed class DemoPeopleTests
{
    [Fact]
    public void TheSameSeedGivesTheSameRowsAndAnotherSeedOtherOnes()
    {
        // Arrange
        var first = new DemoPeople(seed: 7);
        var again = new DemoPeople(seed: 7);
        var other = new DemoPeople(seed: 8);

        // Act
        var rows = Enumerable.Range(1, 50).Select(n => first.Row(n)).ToList();

        // Assert
        rows.ShouldBe(Enumerable.Range(1, 50).Select(n => again.Row(n)).ToList());
        first.EventRows(3, 4).ShouldBe(again.EventRows(3, 4));
        Enumerable.Range(1, 50).Count(n => other.Row(n).Skip(1).SequenceEqual(rows[n - 1].Skip(1))).ShouldBe(0);
    }

    [Fact]
    public void ValuesSpreadOverTheirRangesAndPlansFollowTheirWeights()
    {
        // Arrange
        var demo = new DemoPeople();
        var column = DemoPeople.Columns.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index);

        // Act
        var rows = Enumerable.Range(1, 20_000).Select(n => demo.Row(n)).ToList();

        // Assert
        var plans = rows.GroupBy(r => r[column["plan"]]).ToDictionary(g => g.Key, g => g.Count() / (double)rows.Count);
        plans["free"].ShouldBe(0.55, 0.02);
        plans["basic"].ShouldBe(0.25, 0.02);
        plans["pro"].ShouldBe(0.15, 0.02);
        plans["enterprise"].ShouldBe(0.05, 0.01);
        var ages = rows.Select(r => int.Parse(r[column["age"]], CultureInfo.InvariantCulture)).ToList();
        (ages.Min(), ages.Max()).ShouldBe((18, 80));
        rows.Count(r => r[column["newsletter"]] == "true").ShouldBeInRange(7_600, 8_400);
        rows.Select(r => r[column["lifetime_value"]]).Distinct().Count().ShouldBeGreaterThan(15_000);
        rows.Select(r => r[column["company"]]).Distinct().Count().ShouldBeGreaterThan(3_000);
        rows.Select(r => r[column["email"]]).Distinct().Count().ShouldBe(rows.Count);
        rows[41][column["email"]].ShouldContain(".42@");
        rows[41][0].ShouldBe(DemoPeople.Id(42));
    }
}
