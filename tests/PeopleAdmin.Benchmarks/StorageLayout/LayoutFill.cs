using System.Globalization;
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
/// through the import engine's own bulk create statements (<see cref="SqlitePeopleCommands"/> on SQLite's raw API, as
/// <c>PlainCreateRules.Create</c> drives them for a new person): the id and email probes, the person, the
/// profile_create and attribute_change entries, and the attributes, held to the end of the batch and inserted in
/// (name, value) order. In the JSON layout the person's insert carries the document instead and no attribute rows
/// are written. One transaction per batch, as the engine's. Only the identity rules' other branches are left out,
/// which these new people never take.
/// </summary>
internal sealed class LayoutFill : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Workspace _workspace;
    private readonly SqliteStatementCache _statements;
    private readonly SqlitePeopleCommands _commands;
    private readonly SqliteStatement? _jsonPerson;

    public LayoutFill(SqliteConnection connection, Layout layout, Workspace workspace)
    {
        _connection = connection;
        _workspace = workspace;
        _statements = new SqliteStatementCache(connection);
        _commands = new SqlitePeopleCommands(_statements);
        if (layout == Layout.Json)
        {
            var columns = PersonRow.Writable.Length;
            var placeholders = string.Join(", ", Enumerable.Range(1, columns).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture)));
            _jsonPerson = _statements.Get($"INSERT INTO People ({PersonRow.InsertList}, Attributes) VALUES ({placeholders}, jsonb(?{columns + 1}))");
        }
    }

    /// <summary>Creates everyone in the file, <paramref name="batchRows"/> people per transaction; answers how many.</summary>
    public long Fill(string csvPath, int batchRows)
    {
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).FromFile(csvPath);
        var names = reader.Header.ColNames;
        var (idColumn, emailColumn) = (IndexOf(names, ReservedKeys.Id), IndexOf(names, ReservedKeys.Email));
        var attributes = new List<KeyValuePair<string, AttributeValue>>(names.Count);
        var created = 0L;
        var transaction = _connection.BeginTransaction();
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

            Create(row[idColumn].ToString(), row[emailColumn].ToString(), attributes);
            if (++created % batchRows == 0)
            {
                Commit(transaction);
                transaction = _connection.BeginTransaction();
            }
        }

        Commit(transaction);
        return created;
    }

    private void Create(string id, string email, List<KeyValuePair<string, AttributeValue>> attributes)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var person = Person.New(_workspace, nowMs);
        PersonFields.SetId(person, id, nowMs);
        PersonFields.SetEmail(person, email, _workspace.Settings, nowMs);
        if (_commands.IsIdHeld(_workspace.Id, person.ExternalId!) || _commands.IsEmailHeld(_workspace.Id, person.IdentifyingEmail!))
        {
            throw new InvalidOperationException($"The file names {id} or {email} twice: the fill creates new people only.");
        }

        if (_jsonPerson is null)
        {
            _commands.InsertPerson(person);
        }
        else
        {
            InsertWithDocument(_jsonPerson, person, JsonLayout.Document(attributes));
        }

        Entry(person, ActivityTypes.ProfileCreate, null);
        var changes = new JsonObject
        {
            [ReservedKeys.Id] = new JsonObject { ["from"] = null, ["to"] = id },
            [ReservedKeys.Email] = new JsonObject { ["from"] = null, ["to"] = email },
        };
        foreach (var (name, value) in attributes)
        {
            if (_jsonPerson is null)
            {
                ((IBulkCreate)_commands).InsertAttribute(new PersonAttribute
                {
                    PersonId = person.Id, WorkspaceId = person.WorkspaceId, Name = name, Type = value.Type!.Value,
                    TextValue = value.Text!, NumberValue = value.Number, SetMs = nowMs,
                });
            }

            changes[name] = new JsonObject { ["from"] = null, ["to"] = value.Text };
        }

        Entry(person, ActivityTypes.AttributeChange, changes.ToJsonString());
    }

    /// <summary>The engine's person insert with the document as one more column.</summary>
    private static void InsertWithDocument(SqliteStatement insert, Person person, string document)
    {
        for (var i = 0; i < PersonRow.Writable.Length; i++)
        {
            _ = PersonRow.Writable[i].Value(person) switch
            {
                null => insert.Bind(i + 1, (string?)null),
                bool flag => insert.Bind(i + 1, flag),
                int number => insert.Bind(i + 1, (long)number),
                long number => insert.Bind(i + 1, number),
                string text => insert.Bind(i + 1, text),
                var other => throw new InvalidOperationException($"The person's {PersonRow.Writable[i].Column} holds a {other.GetType().Name}, which the fill does not bind."),
            };
        }

        person.Id = insert.Bind(PersonRow.Writable.Length + 1, document).Insert();
    }

    private void Entry(Person person, string type, string? data) => _commands.InsertActivity(new Activity
    {
        WorkspaceId = person.WorkspaceId, PersonId = person.Id, CioId = person.CioId, Type = type, Source = Sources.Csv, AtMs = person.UpdatedMs, Data = data,
    });

    private void Commit(SqliteTransaction transaction)
    {
        _commands.Flush();
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

    private static int IndexOf(IReadOnlyList<string> names, string name) =>
        names.ToList().IndexOf(name) is var index and >= 0 ? index : throw new ArgumentException($"The file has no \"{name}\" column; the fill needs one.", nameof(names));

    public void Dispose() => _statements.Dispose();
}
