// name: group-footprint
// title: A group's footprint, per platform
// description: >
//   For one group, per platform: the accounts and channels affiliated with it, how many of those
//   accounts are still online (status active or reported), how many were taken down (status
//   removed or suspended), and the followers of its accounts. Platforms where the group has
//   nothing are left out.
// category: groups
// parameters:
//   - name: group
//     type: group
//     refers: group
//     description: the group's id or any of its names (TTP, "Pakistani Taliban", ISKP ...)
// columns: [platform, accounts, channels, active, removed, followers]
// writes: false
// ---
// each member's label and properties are read once (not once per count): about 6 db hits a member
MATCH (:Group {gid: $group})<-[:AFFILIATED_WITH]-(n)
WHERE n:Account OR n:Channel
WITH n.platform AS platform, n:Account AS account, n.status AS status, n.followers AS followers
WITH platform,
     count(CASE WHEN account THEN 1 END) AS accounts,
     count(CASE WHEN NOT account THEN 1 END) AS channels,
     count(CASE WHEN account AND status IN ['active', 'reported'] THEN 1 END) AS active,
     count(CASE WHEN account AND status IN $gone THEN 1 END) AS removed,
     sum(CASE WHEN account THEN coalesce(followers, 0) ELSE 0 END) AS followers
RETURN platform, accounts, channels, active, removed, followers
ORDER BY accounts DESC, platform
