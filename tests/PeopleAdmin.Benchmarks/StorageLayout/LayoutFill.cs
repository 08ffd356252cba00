using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using nietras.SeparatedValues;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.People.Store.Sqlite;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Benchmarks.StorageLayout;

public enum Layout
{
    /// <summary>Today's: one PersonAttributes row per attribute, with its indexes.</summary>
    Rows,

    /// <summary><see cref="JsonLayout"/>: one document per person.</summary>
    Json,
}

/// <summary>
/// Creates the people of a CSV file (an <c>id</c> and an <c>email</c> column, the others attributes) in either layout
/// with the statements the import engine's bulk create runs for a new person (<c>PlainCreateRules.Create</c> through
/// <c>SqlitePeopleCommands</c>): the id and email probes, the person, the profile_create and attribute_change entries,
/// and the attributes, held to the end of the batch and inserted in (name, value) order; in the JSON layout the
/// attributes are the person row's document instead. Prepared statements, one transaction per batch, as the engine's.
/// Only the identity rules' other branches are left out, which these new people never take.
/// </summary>
internal sealed class LayoutFill : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Layout _layout;
    private readonly Workspace _workspace;
    private readonly SqliteCommand _idHeld;
    private readonly SqliteCommand _emailHeld;
    private readonly SqliteCommand _person;
    private readonly SqliteCommand _activity;
    private readonly SqliteCommand _attribute;

    public LayoutFill(SqliteConnection connection, Layout layout, Workspace workspace)
    {
        _connection = connection;
        _layout = layout;
        _workspace = workspace;
        _idHeld = Command("SELECT 1 FROM People WHERE WorkspaceId = $1 AND ExternalId = $2 LIMIT 1", 2);
        _emailHeld = Command("SELECT 1 FROM People WHERE WorkspaceId = $1 AND EmailUniqueKey = $2 LIMIT 1", 2);
        var personColumns = PersonRow.Writable.Length;
        _person = layout == Layout.Rows
            ? Command($"INSERT INTO People ({PersonRow.InsertList}) VALUES ({Placeholders(personColumns)}) RETURNING Id", personColumns)
            : Command($"INSERT INTO People ({PersonRow.InsertList}, Attributes) VALUES ({Placeholders(personColumns)}, jsonb(${personColumns + 1})) RETURNING Id", personColumns + 1);
        _activity = Command(
            "INSERT INTO Activities (WorkspaceId, PersonId, CioId, Type, Source, AtMs, Timestamp, Name, Data, AnonymousId, DedupId, Actor) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7, NULL, NULL, NULL)", 7);
        _attribute = Command($"INSERT INTO PersonAttributes ({SqliteStatements.AttributeColumns}) VALUES ({Placeholders(8)})", 8);
        _idHeld.Parameters[0].Value = workspace.Id;
        _emailHeld.Parameters[0].Value = workspace.Id;
    }

    /// <summary>Creates everyone in the file, <paramref name="batchRows"/> people per transaction; answers how many.</summary>
    public long Fill(string csvPath, int batchRows)
    {
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).FromFile(csvPath);
        var names = reader.Header.ColNames;
        var (idColumn, emailColumn) = (IndexOf(names, ReservedKeys.Id), IndexOf(names, ReservedKeys.Email));
        var held = new List<PersonAttribute>();
        var attributes = new List<KeyValuePair<string, AttributeValue>>(names.Count);
        var created = 0L;
        var transaction = Begin();
        foreach (var row in reader)
        {
            attributes.Clear();
            for (var i = 0; i < names.Count; i++)
            {
                if (i != idColumn && i != emailColumn && row[i].Span.Length > 0)
                {
                    attributes.Add(new(names[i], ImportColumns.Value(row[i].ToString())));
                }
            }

            Create(row[idColumn].ToString(), row[emailColumn].ToString(), attributes, held);
            if (++created % batchRows == 0)
            {
                Commit(transaction, held);
                transaction = Begin();
            }
        }

        Commit(transaction, held);
        return created;
    }

    private SqliteTransaction Begin()
    {
        var transaction = _connection.BeginTransaction();
        foreach (var command in new[] { _idHeld, _emailHeld, _person, _activity, _attribute })
        {
            command.Transaction = transaction;
        }

        return transaction;
    }

    private void Create(string id, string email, List<KeyValuePair<string, AttributeValue>> attributes, List<PersonAttribute> held)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var person = Person.New(_workspace, nowMs);
        PersonFields.SetId(person, id, nowMs);
        PersonFields.SetEmail(person, email, _workspace.Settings, nowMs);
        if (Exists(_idHeld, person.ExternalId) || Exists(_emailHeld, person.EmailUniqueKey))
        {
            throw new InvalidOperationException($"The file names {id} or {email} twice: the fill creates new people only.");
        }

        for (var i = 0; i < PersonRow.Writable.Length; i++)
        {
            _person.Parameters[i].Value = PersonRow.Writable[i].Value(person) ?? DBNull.Value;
        }

        if (_layout == Layout.Json)
        {
            _person.Parameters[PersonRow.Writable.Length].Value = JsonLayout.Document(attributes);
        }

        person.Id = (long)_person.ExecuteScalar()!;
        Entry(person, ActivityTypes.ProfileCreate, null);
        var changes = new JsonObject
        {
            [ReservedKeys.Id] = new JsonObject { ["from"] = null, ["to"] = id },
            [ReservedKeys.Email] = new JsonObject { ["from"] = null, ["to"] = email },
        };
        foreach (var (name, value) in attributes)
        {
            if (_layout == Layout.Rows)
            {
                held.Add(new PersonAttribute
                {
                    PersonId = person.Id, WorkspaceId = person.WorkspaceId, Name = name, Type = value.Type!.Value,
                    TextValue = value.Text!, NumberValue = value.Number, SetMs = nowMs,
                });
            }

            changes[name] = new JsonObject { ["from"] = null, ["to"] = value.Text };
        }

        Entry(person, ActivityTypes.AttributeChange, changes.ToJsonString());
    }

    private void Entry(Person person, string type, string? data)
    {
        object?[] values = [person.WorkspaceId, person.Id, person.CioId, type, Sources.Csv, person.UpdatedMs, data];
        for (var i = 0; i < values.Length; i++)
        {
            _activity.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        _activity.ExecuteNonQuery();
    }

    private void Commit(SqliteTransaction transaction, List<PersonAttribute> held)
    {
        held.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.TextValue, b.TextValue));
        foreach (var attribute in held)
        {
            object?[] values = [attribute.PersonId, attribute.WorkspaceId, attribute.Name, (long)attribute.Type, attribute.TextValue, attribute.NumberValue, attribute.SetMs, attribute.Timestamp];
            for (var i = 0; i < values.Length; i++)
            {
                _attribute.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            _attribute.ExecuteNonQuery();
        }

        held.Clear();
        using (var counter = _connection.CreateCommand())
        {
            counter.Transaction = transaction;
            counter.CommandText = "UPDATE Workspaces SET NextCioNumber = $n WHERE Id = $w";
            counter.Parameters.AddWithValue("$n", _workspace.NextCioNumber);
            counter.Parameters.AddWithValue("$w", _workspace.Id);
            counter.ExecuteNonQuery();
        }

        transaction.Commit();
        transaction.Dispose();
    }

    private static bool Exists(SqliteCommand probe, string? value)
    {
        if (value is null)
        {
            return false;
        }

        probe.Parameters[1].Value = value;
        return probe.ExecuteScalar() is not null;
    }

    private SqliteCommand Command(string sql, int parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
        }

        return command;
    }

    private static string Placeholders(int count) => string.Join(", ", Enumerable.Range(1, count).Select(i => "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static int IndexOf(IReadOnlyList<string> names, string name) =>
        names.ToList().IndexOf(name) is var index and >= 0 ? index : throw new ArgumentException($"The file has no \"{name}\" column; the fill needs one.", nameof(names));

    public void Dispose()
    {
        _idHeld.Dispose();
        _emailHeld.Dispose();
        _person.Dispose();
        _activity.Dispose();
        _attribute.Dispose();
    }
}
