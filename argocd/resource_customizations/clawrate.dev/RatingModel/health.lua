-- Argo CD health of a clawrate RatingModel, from the conditions the operator writes
-- (operator/src/main/java/dev/clawrate/operator/status/ServedConditions.java).
local hs = {}
if obj.status == nil or obj.status.conditions == nil or #obj.status.conditions == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the clawrate operator to report status"
  return hs
end
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the clawrate operator to observe generation " .. generation
  return hs
end
local conditions = {}
for _, condition in ipairs(obj.status.conditions) do
  conditions[condition.type] = condition
end
local function isTrue(type)
  return conditions[type] ~= nil and conditions[type].status == "True"
end
local function messageOf(type)
  local condition = conditions[type]
  if condition ~= nil and condition.message ~= nil then
    return condition.message
  end
  return obj.status.message or ""
end
if isTrue("Deleting") then
  hs.status = "Progressing"
  hs.message = messageOf("Deleting")
  return hs
end
if isTrue("Degraded") then
  hs.status = "Degraded"
  hs.message = messageOf("Degraded")
  return hs
end
if isTrue("Ready") then
  hs.status = "Healthy"
  hs.message = messageOf("Ready")
  return hs
end
if conditions["Ready"] == nil or isTrue("Progressing") then
  hs.status = "Progressing"
  hs.message = messageOf("Ready")
  return hs
end
-- Not ready and not getting there: no live rater, or the name is another namespace's.
hs.status = "Degraded"
hs.message = messageOf("Ready")
return hs
