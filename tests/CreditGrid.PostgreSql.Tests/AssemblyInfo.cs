using CreditGrid.Testing;

// One PostgreSQL server per test run; each test class creates its own database on it.
[assembly: AssemblyFixture(typeof(PostgresFixture))]
