"""The fields AWS added to Resource Groups that moto 5.2.5 does not know, added to moto's own
model and response classes in this process: `Criticality`, `Owner` and `DisplayName` on
CreateGroup, UpdateGroup, GetGroup, DeleteGroup and ListGroups (its `Groups` and
`GroupIdentifiers` lists), and the output-only `ApplicationTag` on the answers that carry a
`Group`. Field by field as in botocore's resource-groups 2017-11-27 model:

  Criticality   integer, 1-10
  Owner         string, 0-300, ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$
  DisplayName   string, 0-300, same pattern
  ApplicationTag map awsApplication -> application ARN (output only: AWS sets it)

UpdateGroup changes only the fields the request has (an empty Owner or DisplayName clears
it); it also finds the group by `Group` (name or ARN), which stock moto's UpdateGroup and
GetGroup ignore (they read only the deprecated `GroupName`). Unset fields are left out of
answers, as AWS does. This is the kind of change moto would take upstream; nothing here fakes
an answer for one test.

Since no AWS call can set an application tag, a test sets one with
POST /gc-test/application-tag {"group": NAME, "arn": APPLICATION_ARN} (see moto_server.py).
"""

import json
import re
import unicodedata

from moto.resourcegroups import models as rg_models
from moto.resourcegroups.exceptions import BadRequestException
from moto.resourcegroups.responses import ResourceGroupsResponse

LABEL_MAX = 300


def _label_ok(value):
    # [\p{L}\p{Z}\p{N}_.:/=+\-@]*: Python's re has no \p classes, so by Unicode category.
    def ok(c):
        cat = unicodedata.category(c)
        return cat[0] in "LZN" or c in "_.:/=+-@"

    return all(ok(c) for c in value)


def _validate(criticality, owner, display_name):
    errors = []
    if criticality is not None and (
        not isinstance(criticality, int) or isinstance(criticality, bool) or not 1 <= criticality <= 10
    ):
        errors.append(
            f"Value '{criticality}' at 'criticality' failed to satisfy constraint: "
            "Member must have value between 1 and 10"
        )
    for key, value in (("owner", owner), ("displayName", display_name)):
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > LABEL_MAX:
            errors.append(
                f"Value at '{key}' failed to satisfy constraint: "
                f"Member must have length less than or equal to {LABEL_MAX}"
            )
        elif not _label_ok(value):
            errors.append(
                f"Value at '{key}' failed to satisfy constraint: Member must satisfy regular "
                "expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"
            )
    if errors:
        plural = "s" if len(errors) > 1 else ""
        raise BadRequestException(f"{len(errors)} validation error{plural} detected: " + "; ".join(errors))


def _labels(group):
    """The new fields of a group as AWS answers them: only those that are set."""
    out = {}
    if getattr(group, "criticality", None) is not None:
        out["Criticality"] = group.criticality
    if getattr(group, "owner", ""):
        out["Owner"] = group.owner
    if getattr(group, "display_name", ""):
        out["DisplayName"] = group.display_name
    return out


def _group_shape(group):
    shape = {"GroupArn": group.arn, "Name": group.name, "Description": group.description}
    shape.update(_labels(group))
    if getattr(group, "application_tag", None):
        shape["ApplicationTag"] = dict(group.application_tag)
    return shape


def _name_of(self):
    """The group a request names: `Group` (a name or an ARN) or the deprecated `GroupName`."""
    ident = self._get_param("Group") or self._get_param("GroupName")
    if ident and re.search(r":[0-9]{12}:group/", ident):
        ident = re.split(r":[0-9]{12}:group/", ident)[1]
    return ident


_stock_create = ResourceGroupsResponse.create_group


def create_group(self):
    criticality = self._get_param("Criticality")
    owner = self._get_param("Owner")
    display_name = self._get_param("DisplayName")
    _validate(criticality, owner, display_name)
    answer = json.loads(_stock_create(self))
    group = self.resourcegroups_backend.groups.by_name[answer["Group"]["Name"]]
    group.criticality = criticality
    group.owner = owner or ""
    group.display_name = display_name or ""
    group.application_tag = {}
    answer["Group"] = _group_shape(group)
    return json.dumps(answer)


def get_group(self):
    group = self.resourcegroups_backend.get_group(group_name=_name_of(self))
    return json.dumps({"Group": _group_shape(group)})


def delete_group(self):
    group = self.resourcegroups_backend.delete_group(group_name=_name_of(self))
    return json.dumps({"Group": _group_shape(group)})


def update_group(self):
    backend = self.resourcegroups_backend
    group = backend.get_group(group_name=_name_of(self))
    body = json.loads(self.body or "{}")
    criticality = body.get("Criticality")
    owner = body.get("Owner")
    display_name = body.get("DisplayName")
    _validate(criticality, owner, display_name)
    if "Description" in body:
        # Stock moto skips an empty description (so it cannot be cleared); AWS clears it.
        group.description = body["Description"] or ""
    if criticality is not None:
        group.criticality = criticality
    if owner is not None:
        group.owner = owner
    if display_name is not None:
        group.display_name = display_name
    return json.dumps({"Group": _group_shape(group)})


def list_groups(self):
    groups = self.resourcegroups_backend.list_groups().values()
    return json.dumps(
        {
            "GroupIdentifiers": [
                {"GroupName": g.name, "GroupArn": g.arn, "Description": g.description, **_labels(g)}
                for g in groups
            ],
            "Groups": [_group_shape(g) for g in groups],
            "NextToken": None,
        }
    )


def set_application_tag(account_id, region, name, arn):
    """The test hook behind POST /gc-test/application-tag: what AWS does when a group joins an
    AppRegistry application."""
    backend = rg_models.resourcegroups_backends[account_id][region]
    group = backend.get_group(group_name=name)
    group.application_tag = {"awsApplication": arn} if arn else {}


def install():
    ResourceGroupsResponse.create_group = create_group
    ResourceGroupsResponse.get_group = get_group
    ResourceGroupsResponse.delete_group = delete_group
    ResourceGroupsResponse.update_group = update_group
    ResourceGroupsResponse.list_groups = list_groups
