// One etcd cluster at a time: each test starts its own (up to three etcd processes), and on a loaded 2-core machine
// several clusters electing leaders at once miss their heartbeats and change leaders, which renews every lease and
// blurs the lease-time bounds the tests check.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
