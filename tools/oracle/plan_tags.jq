# `terraform show -json` plan -> the oracle's recording: per resource address, the tags AWS
# gets as the plan knows them. A value the plan knows only after apply is {"unknown": true};
# keys_known is false when the plan does not know the key set (after_unknown is true for the
# whole map). Resources AWS tags through another resource's attributes get tagwarden's
# addresses: "<address> (volume_tags)", "(root_block_device)", "(ebs_block_device DEVICE)",
# "(tag_specifications TYPE)". Data sources, deletes and resources without tags are left out.

def tagmap($after; $unknown):
  if $unknown == true then {keys_known: false, tags: (($after // {}) | with_entries(select(.value != null)))}
  else {keys_known: true,
        tags: ((($after // {}) | with_entries(select(.value != null)))
               + (($unknown // {}) | if type == "object" then with_entries(select(.value == true) | .value = {unknown: true}) else {} end))}
  end;

def nested($addr; $blocks; $unknowns; name):
  [($blocks // []) | to_entries[] | .key as $i | .value as $b
   | select($b.tags != null or (($unknowns // [])[$i].tags // false) == true)
   | { key: "\($addr) (\($b | name))",
       value: ( if (($b | has("tags_all")) or ((($unknowns // [])[$i] | type) == "object" and (($unknowns // [])[$i] | has("tags_all"))))
                then tagmap($b.tags_all; (($unknowns // [])[$i].tags_all))
                else tagmap($b.tags; (($unknowns // [])[$i].tags)) end) } ];

[ .resource_changes[]?
  | select(.mode == "managed" and .change.actions != ["delete"])
  | .address as $addr | .type as $type | (.change.after // {}) as $a | (.change.after_unknown // {}) as $u
  | ( if ($a | has("tags_all")) or ($u | has("tags_all")) then [{key: $addr, value: (tagmap($a.tags_all; $u.tags_all) + {type: $type})}]
      elif $type == "aws_autoscaling_group" then
        [{key: $addr, value: {type: $type, keys_known: ($u.tag != true),
           tags: ([($a.tag // []) | to_entries[] | .key as $i
                   | {key: .value.key, value: (if (($u.tag // [])[$i].value // false) == true then {unknown: true} else .value.value end)}]
                  | from_entries)}}]
      elif ($a | has("tags")) or ($u | has("tags")) then [{key: $addr, value: (tagmap($a.tags; $u.tags) + {type: $type})}]
      else [] end )
  + ( if $type == "aws_instance" or $type == "aws_spot_instance_request" then
        ( if $a.volume_tags != null or $u.volume_tags == true
          then [{key: "\($addr) (volume_tags)", value: (tagmap($a.volume_tags; $u.volume_tags) + {type: "aws_ebs_volume"})}] else [] end )
        + (nested($addr; $a.root_block_device; $u.root_block_device; "root_block_device") | map(.value += {type: "aws_ebs_volume"}))
        + (nested($addr; $a.ebs_block_device; $u.ebs_block_device; "ebs_block_device \(.device_name)") | map(.value += {type: "aws_ebs_volume"}))
      elif $type == "aws_launch_template" then
        nested($addr; $a.tag_specifications; $u.tag_specifications; "tag_specifications \(.resource_type)")
      else [] end )
  | .[]
] | {resources: from_entries}
