-- Argo CD health of a clawrate TenantConfig, from the conditions the operator writes
-- (operator/src/main/java/dev/clawrate/operator/status/ServedConditions.java, alert/TenantAlerts.java).
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
local function isFalse(type)
  return conditions[type] ~= nil and conditions[type].status == "False"
end
local function messageOf(type)
  local condition = conditions[type]
  if condition ~= nil and condition.message ~= nil then
    return condition.message
  end
  return obj.status.message or ""
end
if isTrue("Degraded") then
  hs.status = "Degraded"
  hs.message = messageOf("Degraded")
  return hs
end
if isFalse("ModelResolved") then
  hs.status = "Degraded"
  hs.message = messageOf("ModelResolved")
  return hs
end
if isTrue("Ready") then
  -- Served, but its SLO cannot be evaluated or a receiver cannot be reached: a configuration to fix.
  if isFalse("AlertsReady") then
    hs.status = "Degraded"
    hs.message = "AlertsReady: " .. messageOf("AlertsReady")
    return hs
  end
  hs.status = "Healthy"
  hs.message = messageOf("Ready")
  return hs
end
if conditions["Ready"] == nil or isTrue("Progressing") then
  hs.status = "Progressing"
  hs.message = messageOf("Ready")
  return hs
end
-- Not ready and not getting there: no live rater, or the tenant id is another namespace's.
hs.status = "Degraded"
hs.message = messageOf("Ready")
return hs
