using System.Globalization;
using System.Text;

namespace PeopleAdmin.Benchmarks.StorageLayout;

/// <summary>
/// The measurement's people: 10 columns, as many as the import benchmark's file, with a value for every operator of the
/// People page's filters: text (plan, country, first_name, company, newsletter), numbers (age, lifetime_value with two
/// decimals, kept as sent) and an ISO date (renews_on, empty for every third person, so that exists and does not exist
/// both match many), spread over 2025 to mid-2027.
/// </summary>
internal static class LayoutPeople
{
    public const string Header = "id,email,first_name,plan,country,age,company,lifetime_value,newsletter,renews_on";

    private static readonly string[] Plans = ["free", "pro", "team", "enterprise"];
    private static readonly string[] Countries = ["DE", "FR", "US", "GB", "JP", "BR", "IN", "NO"];
    private static readonly string[] Names = ["Ann", "Bob", "Chloé", "Dmitri", "Eve", "Fumiko", "Gustavo", "Hannah", "Ibrahim", "Jürgen"];
    private static readonly DateOnly FirstRenewal = new(2025, 1, 1);

    public static void WriteFile(string path, long people)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine(Header);
        for (var n = 1L; n <= people; n++)
        {
            writer.WriteLine(Row(n));
        }
    }

    public static string Row(long n)
    {
        var renewsOn = n % 3 == 0 ? "" : FirstRenewal.AddDays((int)(n * 37 % 900)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var lifetimeValue = (n * 13 % 100_000 / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"user-{n},user-{n}@example.com,{Names[n % Names.Length]},{Plans[n % Plans.Length]},{Countries[n * 7 % Countries.Length]},{18 + (n % 70)},\"Company {n % 5000}, Inc.\",{lifetimeValue},{(n % 2 == 0 ? "true" : "false")},{renewsOn}");
    }
}
